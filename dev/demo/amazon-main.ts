// The demo's Amazon: the SP-API stand-in (dev/amazon-local) with a seller selling some of the demo
// shop's SKUs, the seller connected to the OMS through the Amazon page's own service (actor "demo
// set-up"), and a stream of Amazon orders: one every DEMO_AMAZON_INTERVAL_MS (default 20 s), each
// Pending at first and Unshipped about 40 s later; one in ten is cancelled by the buyer instead.
// The seller has a dynamic usage plan (searchOrders 1 per 20 s), so the demo's poll every
// AMAZON_POLL_SECONDS (30 s in the demo) shows orders within a minute. The app holds one restricted
// role, Direct-to-Consumer Delivery (recorded on the account): orders show the shipping address and
// buyer email, and the buyer name reads "hidden — role … not granted".
//   DATABASE_URL=… REDIS_URL=… QUEUE_PREFIX=… DEMO_SHOP=… node --import tsx dev/demo/amazon-main.ts
import { connectAmazonAccount, saveAmazonRoles } from "~/.server/services/marketplace/amazon-accounts";
import { trackAmazonSkus } from "~/.server/services/marketplace/amazon-stock";
import { closeQueues } from "~/.server/queue/queues";
import { startAmazonStandIn } from "../amazon-local/server";
import { DEMO_SHOP_DOMAIN, demoFixture } from "./fixture";
import { createRng } from "./prng";

const shop = process.env.DEMO_SHOP ?? DEMO_SHOP_DOMAIN;
const port = Number(process.env.AMAZON_STANDIN_PORT ?? 4300);
const interval = Number(process.env.DEMO_AMAZON_INTERVAL_MS ?? 20_000);
export const DEMO_SELLER = {
  sellerId: "A1DEMOSELLER",
  marketplaceIds: ["ATVPDKIKX0DER"],
  clientId: "amzn1.application-oa2-client.demo",
  clientSecret: "demo-lwa-secret",
  refreshToken: "Atzr|demo-refresh-token",
};

const amazon = await startAmazonStandIn({ port, host: "127.0.0.1" });
const post = (p: string, body: unknown) =>
  fetch(amazon.url + p, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
await post("/_dev/sellers", { ...DEMO_SELLER, plans: { searchOrders: { rate: 0.05, burst: 20 } }, roles: ["DIRECT_TO_CONSUMER_DELIVERY"] });
const fixture = demoFixture();
const skus = fixture.shop.products
  .flatMap((p) => p.variants.map((v) => v.sku))
  .filter((s) => !fixture.scarceSkus.includes(s))
  .slice(0, 12);
await post(`/_dev/sellers/${DEMO_SELLER.sellerId}/listings`, { listings: skus.map((sku) => ({ sku, quantity: 0 })) });
const { id } = await connectAmazonAccount(
  shop,
  {
    sellerId: DEMO_SELLER.sellerId,
    marketplaceIds: DEMO_SELLER.marketplaceIds,
    lwaClientId: DEMO_SELLER.clientId,
    lwaClientSecret: DEMO_SELLER.clientSecret,
    refreshToken: DEMO_SELLER.refreshToken,
  },
  "demo set-up",
  new Date(),
);
await saveAmazonRoles(shop, { accountId: id, roles: ["DIRECT_TO_CONSUMER_DELIVERY"] }, "demo set-up", new Date());
await trackAmazonSkus(id, shop, skus);
await closeQueues();
console.log(`Amazon stand-in on ${amazon.url}: seller ${DEMO_SELLER.sellerId} connected, ${skus.length} listings; an order every ${interval / 1000} s`);

const rng = createRng(17);
let n = 0;
setInterval(() => {
  n++;
  const lines = [{ sku: rng.pick(skus), quantity: rng.int(1, 2), price: rng.int(15, 75) }];
  void (async () => {
    const o = (await (await post(`/_dev/sellers/${DEMO_SELLER.sellerId}/orders`, { items: lines })).json()) as { orderId: string };
    console.log(`Amazon order ${o.orderId} (Pending): ${lines.map((l) => `${l.quantity} × ${l.sku}`).join(", ")}`);
    const cancel = n % 10 === 0;
    setTimeout(
      () => void post(`/_dev/orders/${o.orderId}/${cancel ? "cancel" : "status"}`, cancel ? { reason: "BuyerCanceled" } : { status: "UNSHIPPED" }),
      40_000,
    );
  })().catch((e: Error) => console.warn(`Amazon order not placed: ${e.message}`));
}, interval);
process.on("SIGTERM", () => void amazon.close().then(() => process.exit(0)));
process.on("SIGINT", () => void amazon.close().then(() => process.exit(0)));
