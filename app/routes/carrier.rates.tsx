import type { ActionFunctionArgs } from "@remix-run/node";
import { carrierRates } from "~/.server/services/promise/carrier-rates";
import { installed } from "~/.server/services/promise/installed-shops";
import { env } from "~/.server/env";
import { verifyHmac } from "~/.server/shopify/hmac";
import { quoteIds, rateRequestSchema } from "~/schemas/carrier-rates";

// POST /carrier/rates — Shopify's carrier-calculated shipping callback (registered with
// carrierServiceCreate). Verified with the app's HMAC over the raw body; answers rates whose
// min/max_delivery_date come from the delivery promise, or no rates — never a wrong date, never a 5xx.
export async function action({ request }: ActionFunctionArgs) {
  const raw = await request.text();
  if (!verifyHmac(raw, request.headers.get("x-shopify-hmac-sha256"), env().SHOPIFY_API_SECRET)) return Response.json({ error: "unauthorized" }, { status: 401 });
  const shop = request.headers.get("x-shopify-shop-domain") ?? "";
  if (!(await installed(shop))) return Response.json({ error: "unknown shop" }, { status: 401 });
  let body: unknown;
  try {
    body = JSON.parse(quoteIds(raw));
  } catch {
    return Response.json({ error: "malformed", reasons: ["body: not JSON"] }, { status: 400 });
  }
  const parsed = rateRequestSchema.safeParse(body);
  if (!parsed.success) return Response.json({ error: "malformed", reasons: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) }, { status: 400 });
  try {
    return Response.json({ rates: await carrierRates(shop, parsed.data, new Date()) });
  } catch (e) {
    console.error("carrier rates failed", e);
    return Response.json({ rates: [] });
  }
}

export const loader = () => new Response("POST rate requests here", { status: 405 });
