// The way server.ts serves POST /api/promise and /carrier/rates: the lean path first, the Remix
// route's action when it declines. Tests run their cases through this and through the route alone.
import { leanPromise, leanRates, type LeanResponse } from "~/.server/services/promise/lean-promise";
import { action as promiseAction } from "~/routes/api.promise";
import { action as ratesAction } from "~/routes/carrier.rates";

export type Served = { res: Response; lean: boolean };

export async function viaServer(request: Request): Promise<Served> {
  const path = new URL(request.url).pathname;
  const body = Buffer.from(await request.clone().arrayBuffer());
  const headers: Record<string, string> = {};
  request.headers.forEach((v, k) => (headers[k] = v));
  const lean = path === "/carrier/rates" ? leanRates : leanPromise;
  const out = await lean({ method: request.method, headers, body });
  if (out) return { res: toResponse(out), lean: true };
  const action = path === "/carrier/rates" ? ratesAction : promiseAction;
  return { res: (await action({ request, params: {}, context: {} })) as Response, lean: false };
}

function toResponse(o: LeanResponse): Response {
  return new Response(o.body === "" ? null : o.body, { status: o.status, headers: o.headers });
}

/** Status, headers and body of a response, to compare the lean path's answer with the route's. */
export async function shape(res: Response) {
  const headers: [string, string][] = [];
  res.headers.forEach((v, k) => headers.push([k, v]));
  return { status: res.status, headers: headers.sort(), body: await res.clone().text() };
}
