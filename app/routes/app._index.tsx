import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, DataTable, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { startBackfill } from "~/.server/services/backfill-orders";
import { loadShopOverview } from "~/.server/services/shop-overview";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  return loadShopOverview(session.shop);
}

export async function action({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const { started } = await startBackfill(session.shop, new Date());
  return { started };
}

export default function Overview() {
  const data = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const b = data.backfill;
  return (
    <Page title="Order management">
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
            <Stat label="Orders" value={data.orders} to="/app/orders" />
            <Stat label="Webhook deliveries" value={data.deliveries.total} to="/app/deliveries?all=1" />
            <Stat label="Rejected or failed deliveries" value={data.deliveries.rejected + data.deliveries.failed} to="/app/deliveries" />
            <Stat label="Dead-lettered jobs" value={data.deadLetters.length} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Order backfill
                </Text>
                <Form method="post">
                  <Button submit loading={navigation.state === "submitting"} disabled={b?.status === "running"}>
                    {b?.status === "running" ? "Backfill running" : "Import open and recent orders"}
                  </Button>
                </Form>
              </InlineStack>
              {b ? (
                <InlineStack gap="200" blockAlign="center">
                  <Badge tone={b.status === "completed" ? "success" : b.status === "failed" ? "critical" : "info"}>{b.status}</Badge>
                  <Text as="span">
                    {b.imported} orders queued for import · started {new Date(b.startedAt).toLocaleString()}
                    {b.finishedAt ? ` · finished ${new Date(b.finishedAt).toLocaleString()}` : ""}
                  </Text>
                  {b.error ? (
                    <Text as="span" tone="critical">
                      {b.error}
                    </Text>
                  ) : null}
                </InlineStack>
              ) : (
                <Text as="p" tone="subdued">
                  No backfill yet. One runs on install; run it again any time — it is safe to repeat.
                </Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        {data.deadLetters.length > 0 ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Dead-lettered jobs
                </Text>
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "text"]}
                  headings={["Job", "Failed at", "Attempts", "Error"]}
                  rows={data.deadLetters.map((d) => [d.jobName, new Date(d.failedAt).toLocaleString(), d.attempts, d.error])}
                />
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}

function Stat({ label, value, to }: { label: string; value: number; to?: string }) {
  const body = (
    <BlockStack gap="100">
      <Text as="p" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingXl">
        {value.toLocaleString()}
      </Text>
    </BlockStack>
  );
  return (
    <Card>
      {to ? (
        <Link to={to} style={{ color: "inherit", textDecoration: "none" }}>
          {body}
        </Link>
      ) : (
        body
      )}
    </Card>
  );
}
