import { parseMoney } from "~/domain/shared/money";
import { channelFromSourceName, type Address, type OrderSnapshot } from "~/domain/order/snapshot";
import type { OrderPayload } from "~/schemas/shopify-order-payloads";

/** Maps a validated REST order payload (webhook) to the OMS snapshot. */
export function snapshotFromOrderPayload(p: OrderPayload): OrderSnapshot {
  const currency = p.currency;
  return {
    sourceId: p.admin_graphql_api_id,
    name: p.name,
    channel: channelFromSourceName(p.source_name),
    placedAt: new Date(p.created_at),
    updatedAt: new Date(p.updated_at),
    cancelledAt: p.cancelled_at ? new Date(p.cancelled_at) : null,
    financialStatus: p.financial_status ?? null,
    fulfillmentStatus: p.fulfillment_status ?? null,
    currency,
    totalMinor: minor(p.current_total_price ?? p.total_price, currency),
    email: p.email ?? p.contact_email ?? null,
    customerName: [p.customer?.first_name, p.customer?.last_name].filter(Boolean).join(" ") || null,
    shippingAddress: p.shipping_address ? addressFrom(p.shipping_address) : null,
    tags: p.tags
      ? p.tags
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean)
      : [],
    lines: p.line_items.map((l) => ({
      sourceLineId: l.admin_graphql_api_id ?? `gid://shopify/LineItem/${l.id}`,
      sku: l.sku ?? null,
      title: l.name ?? l.title,
      variantId: l.variant_id == null ? null : `gid://shopify/ProductVariant/${l.variant_id}`,
      quantity: l.quantity,
      currentQuantity: l.current_quantity ?? l.quantity,
      unitPriceMinor: minor(l.price, currency),
    })),
  };
}

function minor(amount: string, currency: string): bigint {
  const parsed = parseMoney(amount, currency);
  if (!parsed.ok) throw new Error(`unparseable amount ${amount} ${currency}: ${parsed.error}`);
  return parsed.value.amount;
}

type RestAddress = NonNullable<OrderPayload["shipping_address"]>;
function addressFrom(a: RestAddress): Address {
  return {
    name: a.name ?? ([a.first_name, a.last_name].filter(Boolean).join(" ") || null),
    company: a.company ?? null,
    address1: a.address1 ?? null,
    address2: a.address2 ?? null,
    city: a.city ?? null,
    provinceCode: a.province_code ?? null,
    zip: a.zip ?? null,
    countryCode: a.country_code ?? null,
    phone: a.phone ?? null,
    latitude: a.latitude ?? null,
    longitude: a.longitude ?? null,
  };
}
