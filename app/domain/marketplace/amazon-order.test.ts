import { describe, expect, it } from "vitest";
import type { AmazonOrderData } from "~/schemas/amazon";
import { amazonOrderIdFromTags, amazonSnapshot, nextStep } from "./amazon-order";
import { carrierCode, shipmentPackage } from "./amazon-shipment";
import { amazonSellable, stockPushes } from "./amazon-stock";

const order = (status: string, extra: Partial<AmazonOrderData> = {}): AmazonOrderData => ({
  orderId: "113-1234567-7654321",
  createdTime: "2026-12-01T10:00:00Z",
  lastUpdatedTime: "2026-12-01T10:05:00Z",
  salesChannel: { channelName: "AMAZON", marketplaceId: "ATVPDKIKX0DER" },
  fulfillment: { fulfillmentStatus: status, fulfilledBy: "MERCHANT" },
  orderItems: [
    { orderItemId: "111", quantityOrdered: 2, product: { sellerSku: "TEE-M", title: "Tee", price: { unitPrice: { amount: "19.50", currencyCode: "USD" } } } },
  ],
  ...extra,
});
const base = { fulfilledBy: "MERCHANT", buyerCancel: false, inShopify: false, shippedInShopify: false, cancelApplied: false };

describe("an Amazon order in the OMS's terms", () => {
  it("is awaiting payment while Pending and paid after; its channel label, lines and tags come from Amazon", () => {
    const catalogue = new Map([["TEE-M", { variantId: "gid://shopify/ProductVariant/1", title: "Tee - M" }]]);
    const pending = amazonSnapshot(order("PENDING"), "USD", catalogue);
    expect(pending).toMatchObject({ sourceId: "amazon:113-1234567-7654321", channel: "amazon", financialStatus: "pending", totalMinor: 3900n });
    expect(pending.lines[0]).toMatchObject({ sku: "TEE-M", variantId: "gid://shopify/ProductVariant/1", unitPriceMinor: 1950n, quantity: 2 });
    expect(pending.tags).toEqual(expect.arrayContaining(["Amazon", "Amazon US", "FBM", "AmazonOrderId:113-1234567-7654321"]));
    expect(amazonOrderIdFromTags(pending.tags)).toBe("113-1234567-7654321");
    expect(amazonSnapshot(order("UNSHIPPED"), "USD", catalogue).financialStatus).toBe("paid");
    expect(amazonSnapshot(order("CANCELLED"), "USD", catalogue).cancelledAt).toEqual(new Date("2026-12-01T10:05:00Z"));
  });

  it("holds stock while Pending, goes to Shopify at Unshipped once, and asks a person about cancellations it cannot apply", () => {
    expect(nextStep({ ...base, status: "PENDING" }).kind).toBe("hold_stock");
    expect(nextStep({ ...base, status: "UNSHIPPED" }).kind).toBe("create_in_shopify");
    expect(nextStep({ ...base, status: "UNSHIPPED", inShopify: true }).kind).toBe("none");
    expect(nextStep({ ...base, status: "UNSHIPPED", buyerCancel: true }).kind).toBe("cancel_requested");
    expect(nextStep({ ...base, status: "CANCELLED", inShopify: true }).kind).toBe("cancel_in_shopify");
    expect(nextStep({ ...base, status: "CANCELLED", inShopify: true, cancelApplied: true }).kind).toBe("none");
    expect(nextStep({ ...base, status: "CANCELLED", inShopify: true, shippedInShopify: true }).kind).toBe("cancel_after_ship");
    expect(nextStep({ ...base, status: "UNSHIPPED", fulfilledBy: "AMAZON" }).kind).toBe("none");
  });
});

describe("a Shopify fulfilment as an Amazon package", () => {
  it("maps carriers to Amazon's codes (unknown ones as Other with their name) and units to order items by SKU", () => {
    expect(carrierCode("fedex")).toEqual({ carrierCode: "FedEx" });
    expect(carrierCode("Pigeon Post")).toEqual({ carrierCode: "Other", carrierName: "Pigeon Post" });
    const pkg = shipmentPackage(
      order("UNSHIPPED"),
      { trackingCompany: "UPS", trackingNumber: "1Z9", shippedAt: "2026-12-01T12:00:00Z", lines: [{ sku: "TEE-M", quantity: 1 }] },
      "3",
    );
    expect(pkg).toEqual({
      ok: true,
      value: {
        marketplaceId: "ATVPDKIKX0DER",
        packageDetail: {
          packageReferenceId: "3",
          carrierCode: "UPS",
          trackingNumber: "1Z9",
          shipDate: "2026-12-01T12:00:00.000Z",
          orderItems: [{ orderItemId: "111", quantity: 1 }],
        },
      },
    });
    expect(
      shipmentPackage(
        order("UNSHIPPED"),
        { trackingCompany: "UPS", trackingNumber: null, shippedAt: "2026-12-01T12:00:00Z", lines: [{ sku: "TEE-M", quantity: 1 }] },
        "1",
      ),
    ).toEqual({ ok: false, error: "NO_TRACKING" });
  });
});

describe("stock to Amazon", () => {
  const level = (locationId: string, onHand: number, reserved = 0) => ({
    locationId,
    onHand,
    reserved,
    committed: 0,
    safetyStock: 0,
    unavailable: 0,
    observedAt: null,
  });
  it("sells ATP over the serving locations less the buffer, and pushes only what changed", () => {
    expect(amazonSellable([level("a", 10, 3), level("b", 5)], [], 2)).toBe(10);
    expect(amazonSellable([level("a", 10, 3), level("b", 5)], ["b"], 2)).toBe(3);
    expect(amazonSellable([level("a", 1)], [], 5)).toBe(0);
    expect(
      stockPushes(
        [
          { sku: "A", pushed: 3 },
          { sku: "B", pushed: null },
          { sku: "C", pushed: 1 },
        ],
        new Map([
          ["A", 3],
          ["B", 0],
          ["C", 2],
        ]),
      ),
    ).toEqual([
      { sku: "B", quantity: 0 },
      { sku: "C", quantity: 2 },
    ]);
  });
});
