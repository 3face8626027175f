import { Text } from "@shopify/polaris";

/** A right-aligned, tabular number (or a dash). */
export function Num({ value, tone }: { value: number | null; tone?: "critical" | "caution" | "subdued" | "success" }) {
  return (
    <Text as="span" alignment="end" numeric tone={tone}>
      {value === null ? "—" : value.toLocaleString()}
    </Text>
  );
}

/** Times are shown localized, like the other pages. */
export const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "never");

export const CardTitle = ({ children }: { children: string }) => (
  <Text as="h2" variant="headingMd">
    {children}
  </Text>
);

export type ActionResult = { form: "policy" | "safety-stock" | "reconcile"; ok: boolean; message: string; code?: string };
