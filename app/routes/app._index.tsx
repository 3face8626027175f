import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, DataTable, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { authenticate } from "~/shopify.server";
import { loadShopOverview } from "~/.server/services/shop-overview";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  return loadShopOverview(session.shop);
}

export default function Overview() {
  const data = useLoaderData<typeof loader>();
  return (
    <Page title="Order management">
      <Layout>
        <Layout.Section>
          <InlineGrid columns={3} gap="400">
            <Stat label="Webhook deliveries" value={data.deliveries.total} />
            <Stat label="Rejected deliveries" value={data.deliveries.rejected} />
            <Stat label="Dead-lettered jobs" value={data.deadLetters.length} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Dead-lettered jobs
              </Text>
              <DataTable
                columnContentTypes={["text", "text", "text", "text"]}
                headings={["Job", "Failed at", "Attempts", "Error"]}
                rows={data.deadLetters.map((d) => [d.jobName, d.failedAt, String(d.attempts), d.error])}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingXl">
          {value}
        </Text>
      </BlockStack>
    </Card>
  );
}
