import type { ActionFunctionArgs } from "@remix-run/node";
import { answerRates } from "~/.server/services/promise/promise-endpoints";
import { installed } from "~/.server/services/promise/installed-shops";
import { env } from "~/.server/env";
import { verifyHmac } from "~/.server/shopify/hmac";

// POST /carrier/rates — Shopify's carrier-calculated shipping callback (registered with
// carrierServiceCreate). Verified with the app's HMAC over the raw body; answers rates whose
// min/max_delivery_date come from the delivery promise, or no rates — never a wrong date, never a 5xx.
export async function action({ request }: ActionFunctionArgs) {
  const raw = await request.text();
  if (!verifyHmac(raw, request.headers.get("x-shopify-hmac-sha256"), env().SHOPIFY_API_SECRET))
    return Response.json({ error: "unauthorized" }, { status: 401 });
  const shop = request.headers.get("x-shopify-shop-domain") ?? "";
  if (!(await installed(shop))) return Response.json({ error: "unknown shop" }, { status: 401 });
  // The body read, validated and answered as the lean path does before Remix (promise-endpoints.ts).
  const a = await answerRates(shop, raw);
  return new Response(a.body, { status: a.status, headers: a.headers });
}

export const loader = () => new Response("POST rate requests here", { status: 405 });
