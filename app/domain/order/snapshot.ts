/** What a channel says an order looks like at one moment, in the OMS's own terms. */
export type Channel = "online_store" | "pos" | "draft" | "import" | "amazon" | "other";

export type Address = {
  name: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  provinceCode: string | null;
  zip: string | null;
  countryCode: string | null;
  phone: string | null;
  latitude: number | null;
  longitude: number | null;
};

export type SnapshotLine = {
  sourceLineId: string;
  sku: string | null;
  title: string;
  variantId: string | null;
  quantity: number;
  currentQuantity: number;
  unitPriceMinor: bigint;
};

export type OrderSnapshot = {
  sourceId: string;
  name: string;
  channel: Channel;
  placedAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  currency: string;
  totalMinor: bigint;
  email: string | null;
  customerName: string | null;
  shippingAddress: Address | null;
  tags: string[];
  lines: SnapshotLine[];
};

/** Shopify's source_name values; anything else (a sales-channel app) is "other" until it has a mapping. */
export function channelFromSourceName(sourceName: string | null | undefined): Channel {
  switch (sourceName) {
    case "web":
    case "shopify":
      return "online_store";
    case "pos":
      return "pos";
    case "shopify_draft_order":
      return "draft";
    case "amazon":
      return "amazon";
    case "import":
      return "import";
    default:
      return "other";
  }
}

/** How an order's channel reads in the admin: "online store", or for a marketplace its storefront ("Amazon US"). */
export function channelLabel(channel: string, tags: string): string {
  if (channel === "amazon")
    return (
      tags
        .split(",")
        .find((t) => /^Amazon [A-Z]{2}$/.test(t.trim()))
        ?.trim() ?? "Amazon"
    );
  return channel.replace("_", " ");
}
