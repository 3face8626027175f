export type ActionResult = {
  form: "draft" | "versions" | "profile" | "simulate";
  ok: boolean;
  message: string;
  errors?: string[];
  codes?: string[];
  version?: number;
  locationId?: string;
};

export const pct = (r: number | null) => (r === null ? "—" : `${(Math.round(r * 1000) / 10).toLocaleString()}%`);
export const dec = (n: number | null, digits = 2) => (n === null ? "—" : n.toLocaleString(undefined, { maximumFractionDigits: digits }));
export const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "—");

/** Where the product-tag exclusions stand today, said wherever they can be entered. */
export const PRODUCT_TAG_NOTE =
  "Product tags are not checked: the OMS does not store product tags yet, so any tag is accepted and, until it does, an exclusion limited to a product tag matches no line.";
