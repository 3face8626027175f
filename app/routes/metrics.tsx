import type { LoaderFunctionArgs } from "@remix-run/node";
import { metricsAllowed, metricsText } from "~/.server/metrics";

/** GET /metrics: Prometheus exposition; a bearer token (METRICS_TOKEN) is required in production. */
export async function loader({ request }: LoaderFunctionArgs) {
  if (!metricsAllowed(request.headers.get("authorization"))) return new Response("unauthorized", { status: 401, headers: { "www-authenticate": "Bearer" } });
  const { body, contentType } = await metricsText();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}
