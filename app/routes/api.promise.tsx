import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { installed } from "~/.server/services/promise/installed-shops";
import { answerPromise, ROUTE_CORS } from "~/.server/services/promise/promise-endpoints";
import { authenticate } from "~/shopify.server";

// POST /api/promise — the checkout UI extension asks for the delivery promise of its cart.
// Authenticated with the checkout session token (authenticate.public.checkout: HS256 with the app
// secret, the shop in `dest`), CORS as Shopify's checkout sandbox needs (OPTIONS answered there).
// 401: no, forged or expired token, or a shop that has not installed the app; 400: a malformed
// body, with the reason; never a 5xx — when the promise cannot be computed the answer says so.

export async function loader({ request }: LoaderFunctionArgs) {
  return handle(request);
}

export async function action({ request }: ActionFunctionArgs) {
  return handle(request);
}

async function handle(request: Request): Promise<Response> {
  let auth;
  try {
    auth = await authenticate.public.checkout(request);
  } catch (e) {
    if (e instanceof Response) return withCors(e.status === 204 ? e : new Response(null, { status: e.status === 410 ? 410 : 401 }));
    return withCors(Response.json({ error: "unauthorized" }, { status: 401 }));
  }
  const shop = shopOf(String(auth.sessionToken.dest ?? ""));
  if (!(await installed(shop))) return withCors(Response.json({ error: "unknown shop" }, { status: 401 }));
  if (request.method !== "POST") return withCors(Response.json({ error: "use POST with a JSON body" }, { status: 405 }));

  let raw = "";
  try {
    raw = await request.text();
  } catch {
    // An unreadable body is answered as one that is not JSON.
  }
  // The body read, validated and answered as the lean path does before Remix (promise-endpoints.ts).
  const a = await answerPromise(shop, raw);
  const res = new Response(a.body, { status: a.status, headers: a.headers });
  return a.cors === "library" ? auth.cors(res) : withCors(res);
}

/** `dest` is the shop's domain (checkout tokens) or its https origin (admin tokens). */
const shopOf = (dest: string) => dest.replace(/^https:\/\//, "").replace(/\/.*$/, "");

function withCors(res: Response): Response {
  const out = new Response(res.body, res);
  for (const [k, v] of Object.entries(ROUTE_CORS)) out.headers.set(k, v);
  return out;
}
