/**
 * A Shopify fulfilment as Amazon's confirmShipment package: carrier mapped to Amazon's carrier
 * codes (an unknown carrier goes as "Other" with its name, as Amazon requires), units mapped from
 * Shopify's line items to Amazon's order items by SKU. Pure.
 */
import type { AmazonOrderData } from "~/schemas/amazon";
import { err, ok, type Result } from "../shared/result";

const CARRIERS: Record<string, string> = {
  usps: "USPS",
  "united states postal service": "USPS",
  ups: "UPS",
  fedex: "FedEx",
  "fedex smartpost": "FedEx SmartPost",
  dhl: "DHL",
  "dhl express": "DHL",
  "dhl ecommerce": "DHL eCommerce",
  ontrac: "OnTrac",
  "amazon shipping": "Amazon Shipping",
  "amazon logistics": "Amazon Shipping",
  "canada post": "Canada Post",
  purolator: "Purolator",
  "royal mail": "Royal Mail",
  "deutsche post": "Deutsche Post",
  "japan post": "Japan Post",
  lasership: "LaserShip",
};

export function carrierCode(company: string | null): { carrierCode: string; carrierName?: string } {
  const name = (company ?? "").trim();
  const code = CARRIERS[name.toLowerCase()];
  return code ? { carrierCode: code } : { carrierCode: "Other", carrierName: name || "Other" };
}

export type ShipmentError = "NO_TRACKING" | "NO_MATCHING_ITEMS";

export function shipmentPackage(
  order: AmazonOrderData,
  f: { trackingCompany: string | null; trackingNumber: string | null; shippedAt: string; lines: readonly { sku: string | null; quantity: number }[] },
  packageReferenceId: string,
): Result<
  {
    marketplaceId: string;
    packageDetail: {
      packageReferenceId: string;
      carrierCode: string;
      carrierName?: string;
      trackingNumber: string;
      shipDate: string;
      orderItems: { orderItemId: string; quantity: number }[];
    };
  },
  ShipmentError
> {
  if (!f.trackingNumber) return err("NO_TRACKING");
  const left = new Map(order.orderItems.map((i) => [i.orderItemId, i.quantityOrdered - (i.fulfillment?.quantityFulfilled ?? 0)]));
  const items: { orderItemId: string; quantity: number }[] = [];
  for (const l of f.lines) {
    let q = l.quantity;
    for (const i of order.orderItems) {
      if (q <= 0 || !l.sku || i.product.sellerSku !== l.sku) continue;
      const take = Math.min(q, left.get(i.orderItemId) ?? 0) || Math.min(q, i.quantityOrdered);
      if (take <= 0) continue;
      items.push({ orderItemId: i.orderItemId, quantity: take });
      left.set(i.orderItemId, (left.get(i.orderItemId) ?? 0) - take);
      q -= take;
    }
  }
  if (items.length === 0) return err("NO_MATCHING_ITEMS");
  return ok({
    marketplaceId: order.salesChannel.marketplaceId ?? "",
    packageDetail: {
      packageReferenceId,
      ...carrierCode(f.trackingCompany),
      trackingNumber: f.trackingNumber,
      shipDate: new Date(f.shippedAt).toISOString(),
      orderItems: items,
    },
  });
}
