import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { runbookIndex } from "~/.server/services/ops/runbooks";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  return { runbooks: await runbookIndex() };
}

export default function Runbooks() {
  const { runbooks } = useLoaderData<typeof loader>();
  const section = (monitor: boolean) => (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {monitor ? "Monitors" : "Other exception kinds"}
        </Text>
        {runbooks
          .filter((r) => r.monitor === monitor)
          .map((r) => (
            <InlineStack key={r.kind} gap="200" blockAlign="center">
              <Link to={`/app/runbooks/${r.kind}`}>{r.title}</Link>
              <Text as="span" tone="subdued" variant="bodySm">
                {r.owner}
              </Text>
              {!r.exists ? <Badge tone="critical">missing</Badge> : null}
            </InlineStack>
          ))}
      </BlockStack>
    </Card>
  );
  return (
    <Page
      title="Runbooks"
      subtitle="Owner, likely causes, recovery steps, safe replay and escalation for every monitor and exception kind"
      backAction={{ url: "/app/exceptions" }}
    >
      <BlockStack gap="400">
        {section(true)}
        {section(false)}
      </BlockStack>
    </Page>
  );
}
