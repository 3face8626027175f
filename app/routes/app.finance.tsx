// Finance reconciliation for a day (or a range): refunds with no posting, postings with no refund,
// totals per day, gateway and currency, and the CSV export of the ledger.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useLocation } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { formatMoney } from "~/domain/shared/money";
import { reconcileDays } from "~/.server/services/finance/reconciliation";
import { Field } from "~/components/returns/Field";
import { authenticate } from "~/shopify.server";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  const today = new Date().toISOString().slice(0, 10);
  const from = day.catch(today).parse(params.get("from") ?? today);
  const to = day.catch(from).parse(params.get("to") ?? from);
  const r = await reconcileDays(session.shop, from, to, { readShopify: true });
  const m = (amount: bigint, currency: string) => `${formatMoney({ amount, currency })} ${currency}`;
  return {
    from,
    to,
    unexplained: r.unexplained,
    differences: r.differences,
    totals: r.totals.map((t) => ({
      ...t,
      amount: m(t.amountMinor, t.currency),
      presentment: m(t.presentmentMinor, t.presentmentCurrency),
      amountMinor: undefined,
      presentmentMinor: undefined,
    })),
  };
}

export default function FinancePage() {
  const v = useLoaderData<typeof loader>();
  // The download is a plain request: it carries the page's own query (shop, host, session token) so it authenticates like the page.
  const query = new URLSearchParams(useLocation().search);
  query.set("from", v.from);
  query.set("to", v.to);
  return (
    <Page title="Finance reconciliation" backAction={{ url: "/app/returns" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <Form method="get">
                <InlineStack gap="200" blockAlign="end">
                  <Field label="From" name="from" type="date" defaultValue={v.from} />
                  <Field label="To" name="to" type="date" defaultValue={v.to} />
                  <Button submit>Reconcile</Button>
                  <a href={`/app/finance/csv?${query.toString()}`} download data-testid="csv-link">
                    Download CSV
                  </a>
                </InlineStack>
              </Form>
            </Card>
            <Card>
              <BlockStack gap="200">
                <InlineStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Differences
                  </Text>
                  <Badge tone={v.unexplained ? "critical" : "success"}>{`${v.unexplained} unexplained`}</Badge>
                </InlineStack>
                {v.differences.length === 0 && <Text as="p">Every refund is posted and every posting has its refund.</Text>}
                {v.differences.map((d) => (
                  <Text as="p" key={`${d.kind}${d.refundId}`}>
                    {d.kind.replace(/_/g, " ")} · {d.orderName} · {d.detail}
                    {d.explainedBy ? ` · explained: ${d.explainedBy}` : ""}
                  </Text>
                ))}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Totals per day, gateway and currency
                </Text>
                <table data-testid="totals" style={{ width: "100%" }}>
                  <thead>
                    <tr style={{ textAlign: "left" }}>
                      <th>Day</th>
                      <th>Gateway</th>
                      <th>Kind</th>
                      <th>Postings</th>
                      <th>Shop currency</th>
                      <th>Presentment</th>
                    </tr>
                  </thead>
                  <tbody>
                    {v.totals.map((t) => (
                      <tr key={`${t.day}${t.gateway}${t.kind}${t.currency}${t.presentmentCurrency}`}>
                        <td>{t.day}</td>
                        <td>{t.gateway}</td>
                        <td>{t.kind.replace(/_/g, " ")}</td>
                        <td>{t.count}</td>
                        <td>{t.amount}</td>
                        <td>{t.presentment}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
