import { Form } from "@remix-run/react";
import { BlockStack, Button, Card, DataTable, InlineStack, List, Text } from "@shopify/polaris";
import type { sourcingView } from "~/.server/services/sourcing-views";

type View = Awaited<ReturnType<typeof sourcingView>>;
type Decision = NonNullable<View["live"]>;

function DecisionBlock({ title, d }: { title: string; d: Decision }) {
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {title} · rule set v{d.version} · {d.outcome} · {d.applied.replace("_", " ")} · {new Date(d.at).toLocaleString()}
      </Text>
      {d.error ? (
        <Text as="p" tone="critical">
          {d.error}
        </Text>
      ) : null}
      <List>
        {d.explanation.map((e) => (
          <List.Item key={e}>{e}</List.Item>
        ))}
      </List>
      <DataTable
        columnContentTypes={["text", "numeric", "text", "text"]}
        headings={["Location", "Rank", "Eliminated because", "Scores"]}
        rows={d.candidates.map((c) => [c.location, c.rank ?? "—", c.eliminated ?? "—", c.scores || "—"])}
      />
    </BlockStack>
  );
}

/** "Why this location": what the sourcing engine decided for this order, and a dry run on demand. */
export function SourcingCard({ view }: { view: View }) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Why this location
          </Text>
          <Form method="post">
            <input type="hidden" name="intent" value="dry-run" />
            <Button submit>Dry run with the active rules</Button>
          </Form>
        </InlineStack>
        {view.live ? (
          <DecisionBlock title="Routed" d={view.live} />
        ) : (
          <Text as="p" tone="subdued">
            Not routed by the OMS: Shopify&apos;s own routing stands.
          </Text>
        )}
        {view.dryRun ? <DecisionBlock title="Dry run" d={view.dryRun} /> : null}
      </BlockStack>
    </Card>
  );
}
