import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { quotePromise } from "~/.server/services/promise/quote-promise";
import { authenticate } from "~/shopify.server";

// GET /proxy/promise — the product page's promise, through the app proxy: the theme block asks
// https://<shop>/apps/oms/promise?variant=…&country=…, Shopify forwards it here with `shop`,
// `timestamp` and `signature` (HMAC-SHA256 of the sorted parameters with the app secret), which
// authenticate.public.appProxy verifies. 401: forged signature or a shop without the app; 400: bad
// parameters; otherwise JSON, with no date when there is no honest one.
const querySchema = z.object({
  variant: z.string().regex(/^\d+$/, "variant must be a numeric variant id"),
  quantity: z.coerce.number().int().positive().max(1000).default(1),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, "country must be an ISO code")
    .transform((s) => s.toUpperCase()),
  province: z.string().max(10).optional(),
  zip: z.string().max(20).optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  let ctx;
  try {
    ctx = await authenticate.public.appProxy(request);
  } catch {
    return Response.json({ error: "unauthorized" }, { status: 401 });
  }
  if (!ctx.session) return Response.json({ error: "unknown shop" }, { status: 401 });
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success)
    return Response.json({ error: "malformed", reasons: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) }, { status: 400 });
  const q = parsed.data;
  try {
    const { view } = await quotePromise(
      ctx.session.shop,
      {
        lines: [{ variantId: `gid://shopify/ProductVariant/${q.variant}`, quantity: q.quantity }],
        address: { countryCode: q.country, provinceCode: q.province ?? null, zip: q.zip ?? null },
      },
      new Date(),
    );
    const w = view.windows[0];
    return Response.json(
      {
        id: view.id,
        confidence: view.confidence,
        earliest: w?.earliest ?? null,
        latest: w?.latest ?? null,
        method: w?.name ?? null,
        cutoffAt: view.parcels[0]?.cutoffAt ?? null,
        reason: view.reason,
      },
      { headers: { "Cache-Control": "private, max-age=60" } },
    );
  } catch (e) {
    console.error("proxy promise failed", e);
    return Response.json({ id: null, confidence: "none", earliest: null, latest: null, method: null, cutoffAt: null, reason: "promise unavailable" });
  }
}
