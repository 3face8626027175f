import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { hasOfflineSession } from "~/.server/services/finance/session";
import { customerReturnables, requestCustomerReturn } from "~/.server/services/returns/customer-returns";
import { issuesOf } from "~/schemas/promise-api";
import { CUSTOMER_REASONS, customerReturnRequestSchema, orderGidSchema } from "~/schemas/customer-returns-api";
import { authenticate } from "~/shopify.server";

// /api/customer-returns — the customer-returns extension (customer accounts, order action menu).
//   GET  ?orderId=<Order GID>   what the signed-in customer may still return on that order of theirs
//   POST {requestKey, orderId, lines:[{fulfillmentLineItemId, quantity}], reason, note?}
//        a return request in Shopify (returnRequest, through the returns service), once per requestKey
// Authenticated with the customer account session token (authenticate.public.customerAccount:
// HS256 with the app secret, the shop in `dest`, the customer in `sub`), CORS as the extension
// sandbox needs. 401: no, forged or expired token, no customer, or a shop without the app;
// 400: a malformed request, with the reasons; 404: not an order of this customer's; 409: the
// same request is being made; 422: not returnable (the reason in words). Never a 5xx: when Shopify
// cannot be reached the answer says so (200, error "unavailable", retry).

const CORS = { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "Authorization, Content-Type" };

export const loader = ({ request }: LoaderFunctionArgs) => handle(request);
export const action = ({ request }: ActionFunctionArgs) => handle(request);

async function handle(request: Request): Promise<Response> {
  let auth;
  try {
    auth = await authenticate.public.customerAccount(request);
  } catch (e) {
    if (e instanceof Response) return withCors(e.status === 204 ? e : Response.json({ error: "unauthorized" }, { status: 401 }));
    return withCors(Response.json({ error: "unauthorized" }, { status: 401 }));
  }
  const shop = String(auth.sessionToken.dest ?? "")
    .replace(/^https:\/\//, "")
    .replace(/\/.*$/, "");
  const customerId =
    typeof auth.sessionToken.sub === "string" && /^(gid:\/\/shopify\/Customer\/)?\d+$/.test(auth.sessionToken.sub) ? auth.sessionToken.sub : null;
  if (!customerId) return withCors(Response.json({ error: "unauthorized", reason: "no signed-in customer" }, { status: 401 }));
  // The app acts for the customer with the shop's offline session: without one (never installed, uninstalled) there is no one to ask.
  if (!(await hasOfflineSession(shop).catch(() => false))) return withCors(Response.json({ error: "unknown shop" }, { status: 401 }));
  const json = (body: unknown, status = 200) => withCors(Response.json(body, { status }));

  try {
    if (request.method === "GET") {
      const orderId = orderGidSchema.safeParse(new URL(request.url).searchParams.get("orderId") ?? "");
      if (!orderId.success) return json({ error: "malformed", reasons: issuesOf(orderId.error).map((r) => r.replace(/^body/, "orderId")) }, 400);
      const view = await customerReturnables(shop, customerId, orderId.data);
      return view ? json({ ...view, reasons: CUSTOMER_REASONS }) : json({ error: "not_found" }, 404);
    }
    if (request.method !== "POST") return json({ error: "use GET or POST" }, 405);
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return json({ error: "malformed", reasons: ["body: not JSON"] }, 400);
    }
    const parsed = customerReturnRequestSchema.safeParse(body);
    if (!parsed.success) return json({ error: "malformed", reasons: issuesOf(parsed.error) }, 400);
    const done = await requestCustomerReturn(shop, customerId, { ...parsed.data, note: parsed.data.note || null }, new Date());
    if (done.ok) return json({ status: "requested", ...done.value });
    switch (done.error.code) {
      case "NOT_FOUND":
        return json({ error: "not_found" }, 404);
      case "IN_PROGRESS":
        return json({ error: "in_progress" }, 409);
      case "REFUSED":
        return json({ error: "refused", message: done.error.message }, 422);
    }
  } catch (e) {
    // Shopify or the database failed: an honest "try again" rather than a 5xx the customer would see as a crash.
    console.error("customer return failed", e);
    return json({ error: "unavailable", retry: true });
  }
}

function withCors(res: Response): Response {
  const out = new Response(res.body, res);
  for (const [k, v] of Object.entries(CORS)) out.headers.set(k, v);
  return out;
}
