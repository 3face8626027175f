// The finance ledger for a day range as CSV (quoted, CRLF, totals rows), for a spreadsheet.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { postingsCsvFor } from "~/.server/services/finance/reconciliation";
import { authenticate } from "~/shopify.server";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  const today = new Date().toISOString().slice(0, 10);
  const from = day.catch(today).parse(params.get("from") ?? today);
  const to = day.catch(from).parse(params.get("to") ?? from);
  // A byte-order mark so spreadsheets read the file as UTF-8.
  return new Response(`\uFEFF${await postingsCsvFor(session.shop, from, to)}`, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="finance-${from}_${to}.csv"` },
  });
}
