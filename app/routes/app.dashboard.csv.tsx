import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { chartCsv, CHARTS, periodOf } from "~/.server/services/ops/kpi-views";
import { authenticate } from "~/shopify.server";

/** GET /app/dashboard/csv?chart=<name>&from&to: the data behind one dashboard chart. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const chart = z.enum(CHARTS).safeParse(url.searchParams.get("chart"));
  if (!chart.success) return new Response(`chart must be one of ${CHARTS.join(", ")}`, { status: 400 });
  const { from, to } = periodOf(url, new Date());
  const csv = await chartCsv(session.shop, chart.data, from, to);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${chart.data}-${from.toISOString().slice(0, 10)}.csv"`,
    },
  });
}
