// The demo's operations cases, made on their own so the exception queue, the runbooks and the
// dashboard fill within minutes (issue 18). It plays the shop's warehouses and carriers, and a few
// of the faults real shops see:
//  - short demo thresholds (stuck after 2 min, location SLA 3 min, no carrier update 4 min, 1 min
//    grace for payments and refunds) and an alert e-mail (to the demo's SMTP catcher), through the
//    same audited service the Monitors page uses;
//  - warehouses ship each fulfilment order ~20–40 s after it appears and carriers deliver ~60 s
//    later — except that every 12th order is forgotten by its location (allocation with no
//    shipment) and every 9th shipment never gets a carrier scan (shipment with no status sync);
//  - once: an order whose orders/create webhook is lost (captured payment with no order), one that
//    arrives only by orders/updated and is never routed (stuck before allocation), and a refund whose
//    refunds/create webhook is lost (refund with no finance posting).
//   DATABASE_URL=… SHOPIFY_ADMIN_ORIGIN=… STANDIN_URL=… DEMO_SHOP=… node --import tsx dev/demo/ops-cases.ts
import { db } from "~/.server/db/client";
import { readThresholds } from "~/.server/db/monitor-queries";
import { updateMonitorSettings } from "~/.server/services/ops/monitor-settings";
import { adminFor } from "~/.server/shopify/admin";
import { DEMO_SHOP_DOMAIN } from "./fixture";

const shop = process.env.DEMO_SHOP ?? DEMO_SHOP_DOMAIN;
const standIn = process.env.STANDIN_URL ?? "http://localhost:4100";
const TICK_MS = 5_000;
const post = (p: string, body: unknown = {}) =>
  fetch(`${standIn}/_dev/shops/${encodeURIComponent(shop)}${p}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const drop = (topics: string[]) => post("/webhooks/drop", { topics, count: 1 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const shopper = { firstName: "Grace", lastName: "Hopper", address1: "1 Main St", city: "Denver", provinceCode: "CO", countryCode: "US", zip: "80202" };

type State = {
  orders: { id: string; name: string; cancelledAt: string | null; lines: { sku: string }[] }[];
  fulfillmentOrders: { id: string; orderId: string; status: string }[];
};

async function configure() {
  const current = await readThresholds(shop);
  const r = await updateMonitorSettings(
    { shop, userId: null, actor: "demo set-up" },
    {
      ...current,
      stuckBeforeAllocationMinutes: 2,
      allocationSlaMinutes: 3,
      statusSyncMinutes: 4,
      paymentGraceMinutes: 1,
      refundGraceMinutes: 1,
      digestMinutes: 5,
      alertEmail: "ops@demo-shop.example",
    },
    new Date(),
  );
  console.log(`ops: demo thresholds set (${r.ok ? r.value.changed.join(", ") || "unchanged" : JSON.stringify(r.error)})`);
}

async function checkout(sku: string) {
  const res = await post("/checkout", { lines: [{ sku, quantity: 1 }], shippingAddress: shopper, email: "grace@example.com" });
  if (!res.ok) throw new Error(`checkout ${res.status}: ${await res.text()}`);
  return (await res.json()) as { orderId: string; name: string };
}

/** The two special orders stay as they are: nobody ships them (shipping would tell the app about them). */
const untouched = new Set<string>();

async function oneOffCases(state: State) {
  const sku = state.orders.find((o) => !o.cancelledAt)?.lines[0]?.sku;
  if (!sku) return false;
  // Captured payment with no order: Shopify's orders/create never reaches the app.
  await drop(["orders/create", "fulfillment_orders/order_routing_complete"]);
  const lost = await checkout(sku);
  untouched.add(lost.orderId);
  console.log(`ops: ${lost.name} placed with its orders/create lost (captured payment, no order)`);
  // Stuck before allocation: the app learns of the order only from a later orders/updated, so it
  // never reads its fulfilment orders and never routes it.
  await drop(["orders/create", "fulfillment_orders/order_routing_complete", "orders/edited"]);
  const stuck = await checkout(sku);
  untouched.add(stuck.orderId);
  await post(`/orders/${encodeURIComponent(stuck.orderId)}/edit`, { sku, quantity: 2 });
  console.log(`ops: ${stuck.name} reached the app without its fulfilment orders (stuck before allocation)`);
  return true;
}

async function lostRefund(): Promise<boolean> {
  const order = await db().order.findFirst({
    where: { shop, state: { in: ["delivered", "shipped"] }, sourceId: { startsWith: "gid://shopify/Order/" } },
    orderBy: { placedAt: "asc" },
  });
  if (!order) return false;
  await drop(["refunds/create", "orders/updated"]);
  const graphql = await adminFor(shop);
  const res = await graphql(
    `#graphql
    mutation DemoGoodwillRefund($input: RefundInput!) { refundCreate(input: $input) @idempotent(key: "demo-goodwill-refund") { refund { id } userErrors { message } } }`,
    {
      variables: {
        input: {
          orderId: order.sourceId,
          note: "goodwill (demo)",
          transactions: [{ orderId: order.sourceId, amount: "3.00", gateway: "bogus", kind: "REFUND" }],
        },
      },
    },
  );
  const body = (await res.json()) as { data?: { refundCreate?: { userErrors: { message: string }[] } } };
  console.log(
    `ops: goodwill refund on ${order.name} with its refunds/create lost (refund with no posting)${body.data?.refundCreate?.userErrors.length ? `: ${JSON.stringify(body.data.refundCreate.userErrors)}` : ""}`,
  );
  return true;
}

async function main() {
  await configure();
  const seenAt = new Map<string, number>();
  const shippedAt = new Map<string, number>();
  const done = new Set<string>();
  let oneOff = false;
  let refund = false;
  const started = Date.now();
  for (;;) {
    try {
      const state = (await (await fetch(`${standIn}/_dev/shops/${encodeURIComponent(shop)}/state`)).json()) as State;
      const names = new Map(state.orders.map((o) => [o.id, Number(o.name.replace(/\D/g, ""))]));
      const now = Date.now();
      for (const fo of state.fulfillmentOrders) {
        if (done.has(fo.id) || untouched.has(fo.orderId)) continue;
        const n = names.get(fo.orderId) ?? 0;
        if (!seenAt.has(fo.id)) seenAt.set(fo.id, now);
        if ((fo.status === "OPEN" || fo.status === "IN_PROGRESS") && !shippedAt.has(fo.id)) {
          if (n % 12 === 0) continue; // this location forgot the order
          if (now - seenAt.get(fo.id)! < 20_000 + (n % 5) * 5_000) continue;
          const res = await post(`/fulfillment-orders/${encodeURIComponent(fo.id)}/ship`, { company: n % 2 ? "UPS" : "FedEx", number: `1ZDEMO${n}` });
          if (res.ok) shippedAt.set(fo.id, now);
          else done.add(fo.id);
        } else if (shippedAt.has(fo.id) && now - shippedAt.get(fo.id)! > 60_000) {
          done.add(fo.id);
          if (n % 9 === 0) continue; // the carrier never scans this parcel
          await post(`/fulfillment-orders/${encodeURIComponent(fo.id)}/deliver`);
        } else if (fo.status === "CLOSED" && !shippedAt.has(fo.id)) done.add(fo.id);
      }
      if (!oneOff && now - started > 20_000) oneOff = await oneOffCases(state);
      if (!refund && now - started > 90_000) refund = await lostRefund();
    } catch (e) {
      console.warn(`ops: ${e instanceof Error ? e.message : String(e)}`);
    }
    await sleep(TICK_MS);
  }
}

void main();
