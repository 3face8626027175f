import { BlockStack, Card, Text } from "@shopify/polaris";
import type { SourcingPageView } from "~/.server/services/sourcing-admin";
import { when } from "./format";

/** Who activated which rules and changed which location profile. */
export function AuditList({ audit }: Pick<SourcingPageView, "audit">) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Recent changes
        </Text>
        {audit.length === 0 ? (
          <Text as="p" tone="subdued">
            No rule set activated or location profile changed yet.
          </Text>
        ) : (
          audit.map((a) => (
            <div key={a.id} style={{ borderLeft: "2px solid #e3e3e3", paddingLeft: 12 }}>
              <Text as="p" fontWeight="semibold">
                {a.summary}
              </Text>
              <Text as="p" tone="subdued" variant="bodySm">
                {when(a.at)} · {a.actor}
              </Text>
            </div>
          ))
        )}
      </BlockStack>
    </Card>
  );
}
