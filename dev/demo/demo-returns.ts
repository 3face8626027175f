// The demo day's returns and refunds, made through the same services the Returns pages use (actor
// "demo set-up"): shoppers' orders shipped, then a return restocked and refunded less a restocking
// fee, one received damaged and refunded partly as store credit with shipping, an exchange shipped on
// receipt, a declined request, a parcel without an order matched by a person and one left waiting,
// and a refund made outside the OMS above what was captured (refund_over_capture). Then the day is
// reconciled and the ledger written as CSV (the path is printed).
//   DATABASE_URL=… DEMO_SHOP=… STANDIN_URL=… node --import tsx dev/demo/demo-returns.ts
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { findOrderHead } from "~/.server/db/orders";
import { issueRefund } from "~/.server/services/finance/issue-refund";
import { postingsCsvFor, reconcileDays } from "~/.server/services/finance/reconciliation";
import { approveReturn, declineReturn } from "~/.server/services/returns/decide-return";
import { confirmParcelMatch, parcelCandidates, receiveParcel } from "~/.server/services/returns/parcels";
import { receiveReturn } from "~/.server/services/returns/receive-return";
import { requestReturn } from "~/.server/services/returns/request-return";
import { returnDetailView } from "~/.server/services/returns/returns-views";
import { adminFor } from "~/.server/shopify/admin";
import { fetchReturnables } from "~/.server/shopify/returns";
import { sessionStorage } from "~/shopify.server";
import { DEMO_SHOP_DOMAIN } from "./fixture";

const shop = process.env.DEMO_SHOP ?? DEMO_SHOP_DOMAIN;
const standIn = process.env.STANDIN_URL ?? "http://localhost:4100";
const actor = "demo set-up";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const post = async (p: string, body: unknown) => {
  const res = await fetch(`${standIn}${p}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
};
async function until<T>(what: string, check: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(250)) {
    const v = await check();
    if (v) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}
const must = <T, E>(what: string, r: { ok: true; value: T } | { ok: false; error: E }): T => {
  if (!r.ok) throw new Error(`${what}: ${JSON.stringify(r.error, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}`);
  return r.value;
};

const state = (await (await fetch(`${standIn}/_dev/shops/${shop}/state`)).json()) as { inventory: { sku: string; location: string; available: number }[] };
const skus = [...new Set(state.inventory.filter((l) => l.available > 20).map((l) => l.sku))].slice(0, 3);
if (skus.length < 3) throw new Error("the demo shop has too little stock for the returns demo");
const today0 = new Date().toISOString().slice(0, 10);
const address = { firstName: "Rita", lastName: "Turner", address1: "1 Market St", city: "Austin", provinceCode: "TX", countryCode: "US", zip: "78701" };

/** A shopper's order, shipped, known to the OMS. */
async function shipped(lines: { sku: string; quantity: number }[], email: string) {
  const placed = (await post(`/_dev/shops/${shop}/checkout`, { lines, shippingAddress: { ...address, firstName: email.split("@")[0] }, email })) as {
    orderId: string;
    fulfillmentOrderIds: string[];
  };
  for (const fo of placed.fulfillmentOrderIds)
    await post(`/_dev/shops/${shop}/fulfillment-orders/${encodeURIComponent(fo)}/ship`, { company: "UPS", number: `1ZDEMO${fo.slice(-6)}` });
  const head = await until(`order ${placed.orderId} in the OMS`, () => findOrderHead(shop, placed.orderId));
  const units = (await fetchReturnables(await adminFor(shop), placed.orderId))!.fulfilled;
  return { orderId: head.id, sourceId: placed.orderId, units };
}
const lineFor = async (returnId: string) => (await returnDetailView(shop, returnId, new Date()))!;
const base = {
  shop,
  reason: null,
  restockingFeePercent: 0,
  shippingFeeMinor: 0n,
  exchange: [],
  exchangePolicy: "on_receipt" as const,
  instructions: null,
  actor,
};
const location = async (returnId: string) => (await lineFor(returnId)).locations[0]!.id;

// 1. Requested, approved with a label, received and restocked, refunded less a 10 % restocking fee.
const a = await shipped([{ sku: skus[0]!, quantity: 2 }], "rita@example.com");
const r1 = must(
  "return 1",
  await requestReturn(
    {
      ...base,
      orderId: a.orderId,
      lines: [{ fulfillmentLineItemId: a.units[0]!.fulfillmentLineItemId, quantity: 1 }],
      approveNow: false,
      reason: "too small",
      restockingFeePercent: 10,
    },
    new Date(),
  ),
).returnId;
must(
  "approve 1",
  await approveReturn(
    {
      shop,
      returnId: r1,
      version: (await lineFor(r1)).version,
      instructions: "Print the label and drop the parcel at any UPS store",
      tracking: { number: "1ZRETURN0001", url: null },
      labelUrl: "https://labels.example/1ZRETURN0001.pdf",
      actor,
    },
    new Date(),
  ),
);
let v1 = await lineFor(r1);
must(
  "receive 1",
  await receiveReturn(
    { shop, returnId: r1, version: v1.version, locationId: await location(r1), receipts: [{ lineId: v1.lines[0]!.id, restock: 1 }], actor },
    new Date(),
  ),
);
v1 = await lineFor(r1);
must(
  "refund 1",
  await issueRefund(
    {
      shop,
      orderId: a.orderId,
      returnId: r1,
      requestKey: `demo-refund-${r1}`,
      lines: [{ sourceLineId: v1.lines[0]!.sourceLineId!, quantity: 1 }],
      shippingMinor: 0n,
      restockingFeePercent: 10,
      storeCreditMinor: 0n,
      note: "restocked",
      actor,
    },
    new Date(),
  ),
);

// 2. Created approved, received damaged, refunded with shipping, part of it as store credit.
const b = await shipped([{ sku: skus[1]!, quantity: 1 }], "sam@example.com");
const r2 = must(
  "return 2",
  await requestReturn(
    {
      ...base,
      orderId: b.orderId,
      lines: [{ fulfillmentLineItemId: b.units[0]!.fulfillmentLineItemId, quantity: 1 }],
      approveNow: true,
      reason: "arrived broken",
    },
    new Date(),
  ),
).returnId;
const v2 = await lineFor(r2);
must(
  "receive 2",
  await receiveReturn(
    { shop, returnId: r2, version: v2.version, locationId: await location(r2), receipts: [{ lineId: v2.lines[0]!.id, damaged: 1 }], actor },
    new Date(),
  ),
);
must(
  "refund 2",
  await issueRefund(
    {
      shop,
      orderId: b.orderId,
      returnId: r2,
      requestKey: `demo-refund-${r2}`,
      lines: [{ sourceLineId: v2.lines[0]!.sourceLineId!, quantity: 1 }],
      shippingMinor: 500n,
      restockingFeePercent: 0,
      storeCreditMinor: 1000n,
      note: "damaged in transit",
      actor,
    },
    new Date(),
  ),
);

// 3. An exchange for another size, shipped on receipt; received and restocked.
const c = await shipped([{ sku: skus[0]!, quantity: 1 }], "lee@example.com");
const r3 = must(
  "exchange",
  await requestReturn(
    {
      ...base,
      orderId: c.orderId,
      lines: [{ fulfillmentLineItemId: c.units[0]!.fulfillmentLineItemId, quantity: 1 }],
      approveNow: true,
      reason: "exchange for another size",
      exchange: [{ sku: skus[2]!, quantity: 1 }],
      exchangePolicy: "on_receipt",
    },
    new Date(),
  ),
).returnId;
const v3 = await lineFor(r3);
must(
  "receive exchange",
  await receiveReturn(
    { shop, returnId: r3, version: v3.version, locationId: await location(r3), receipts: [{ lineId: v3.lines[0]!.id, restock: 1 }], actor },
    new Date(),
  ),
);

// 4. A request declined: the return window has ended.
const d = await shipped([{ sku: skus[1]!, quantity: 1 }], "kim@example.com");
const r4 = must(
  "return 4",
  await requestReturn(
    {
      ...base,
      orderId: d.orderId,
      lines: [{ fulfillmentLineItemId: d.units[0]!.fulfillmentLineItemId, quantity: 1 }],
      approveNow: false,
      reason: "changed my mind",
    },
    new Date(),
  ),
).returnId;
must(
  "decline",
  await declineReturn(
    { shop, returnId: r4, version: (await lineFor(r4)).version, reason: "RETURN_PERIOD_ENDED", note: "Bought more than 30 days ago", actor },
    new Date(),
  ),
);

// 5. Parcels without an order reference: one matched by a person, one left waiting.
const e = await shipped([{ sku: skus[2]!, quantity: 2 }], "noor@example.com");
// The parcel comes back to a warehouse that stocks its SKUs.
const warehouse = state.inventory
  .filter((l) => l.sku === skus[2] && state.inventory.some((m) => m.sku === skus[1] && m.location === l.location))
  .sort((x, y) => y.available - x.available)[0]!.location;
const loc = (await lineFor(r1)).locations.find((l) => l.name === warehouse)!.id;
const p1 = must(
  "parcel 1",
  await receiveParcel(
    {
      shop,
      key: `demo-parcel-1-${today0}`,
      locationId: loc,
      locationName: warehouse,
      lines: [{ sku: skus[2]!, quantity: 1, disposition: "restock" }],
      slip: { name: "Noor", email: "noor@example.com" },
      actor,
    },
    new Date(),
  ),
).returnId;
const best = await until("a candidate for the parcel", async () =>
  (await parcelCandidates(shop, p1, new Date()))?.find((x) => x.orderId === e.orderId && x.explanation.includes("bought")),
);
console.log(`parcel matched to ${best.orderName}: ${best.explanation}`);
must("match", await confirmParcelMatch({ shop, returnId: p1, version: (await lineFor(p1)).version, orderId: e.orderId, actor }, new Date()));
must(
  "parcel 2",
  await receiveParcel(
    {
      shop,
      key: `demo-parcel-2-${today0}`,
      locationId: loc,
      locationName: warehouse,
      lines: [{ sku: skus[1]!, quantity: 1, disposition: "quality_control" }],
      slip: { name: "J. Doe", tracking: "9400 0000 0000" },
      actor,
    },
    new Date(),
  ),
);

// 6. A refund made outside the OMS, above what the order captured (a gateway drift): raised, not posted.
const f = await shipped([{ sku: skus[1]!, quantity: 1 }], "drift@example.com");
const session = await sessionStorage.loadSession(`offline_${shop}`);
const drift = await fetch(`${standIn}/admin/api/2026-04/graphql.json`, {
  method: "POST",
  headers: { "content-type": "application/json", "x-shopify-access-token": session?.accessToken ?? "", "x-forwarded-host": shop },
  body: JSON.stringify({
    query: `mutation Drift($input: RefundInput!) { refundCreate(input: $input) @idempotent(key: "demo-drift") { refund { id } userErrors { message } } }`,
    variables: {
      input: {
        orderId: f.sourceId,
        allowOverRefunding: true,
        note: "refunded at the terminal",
        transactions: [{ orderId: f.sourceId, amount: "999.00", gateway: "bogus", kind: "REFUND" }],
      },
    },
  }),
});
if (!drift.ok) throw new Error(`drift refund: ${drift.status}`);

// The day's reconciliation and CSV, once the webhooks have been processed.
await sleep(3000);
const today = new Date().toISOString().slice(0, 10);
const report = await reconcileDays(shop, today, today, { readShopify: true });
const out = path.resolve("dev/demo/out");
mkdirSync(out, { recursive: true });
const file = path.join(out, `finance-${today}.csv`);
writeFileSync(file, `\uFEFF${await postingsCsvFor(shop, today, today)}`);
console.log(
  `returns demo: reconciliation ${today}: ${report.unexplained} unexplained difference(s), ${report.differences.length - report.unexplained} explained; ledger CSV ${file}`,
);
for (const d2 of report.differences) console.log(`  ${d2.kind} ${d2.orderName} ${d2.detail}${d2.explainedBy ? ` (explained: ${d2.explainedBy})` : ""}`);
process.exit(0);
