import { Badge, BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import type { InventoryPageView } from "~/.server/services/inventory-views";
import { CardTitle, when } from "./format";

const KINDS: Record<string, string> = {
  ledger_balance: "Ledger vs balance",
  missing_reservation: "Missing reservation",
  orphan_reservation: "Orphan reservation",
  shopify_available: "Shopify available",
};
const kind = (k: string) => KINDS[k] ?? k;
const outcome = (o: string) => <Badge tone={o === "healed" ? "success" : "critical"}>{o}</Badge>;

/** The reconciler's findings: open ones with their age, then the recently resolved ones. */
export function DriftCard({ drift }: Pick<InventoryPageView, "drift">) {
  return (
    <Card>
      <BlockStack gap="300">
        <CardTitle>Drift report</CardTitle>
        {drift.open.length === 0 ? (
          <Text as="p" tone="success">
            No open drift: the ledger explains every balance and Shopify matches ATP.
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "numeric", "numeric", "text", "text"]}
            headings={["Age", "Kind", "SKU", "Location", "Expected", "Actual", "Outcome", "Note"]}
            rows={drift.open.map((d) => [
              <Text key="age" as="span" fontWeight="semibold" tone={d.ageMinutes >= 60 ? "critical" : undefined}>
                {d.age}
              </Text>,
              kind(d.kind),
              d.item ?? "—",
              d.location ?? "—",
              d.expected,
              d.actual,
              outcome(d.outcome),
              d.note ?? "",
            ])}
          />
        )}
        {drift.resolved.length ? (
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              Recently resolved
            </Text>
            <DataTable
              columnContentTypes={["text", "text", "text", "text", "numeric", "numeric", "text", "text"]}
              headings={["Resolved", "Kind", "SKU", "Location", "Expected", "Actual", "Outcome", "Note"]}
              rows={drift.resolved.map((d) => [
                when(d.resolvedAt),
                kind(d.kind),
                d.item ?? "—",
                d.location ?? "—",
                d.expected,
                d.actual,
                outcome(d.outcome),
                d.note ?? "",
              ])}
            />
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}

/** The last changes to safety stock and the stale-feed policy, newest first. */
export function AuditCard({ audit }: Pick<InventoryPageView, "audit">) {
  return (
    <Card>
      <BlockStack gap="300">
        <CardTitle>Recent changes</CardTitle>
        {audit.length === 0 ? (
          <Text as="p" tone="subdued">
            Nobody has changed safety stock or the stale-feed policy yet.
          </Text>
        ) : (
          <BlockStack gap="200">
            {audit.map((a) => (
              <div key={a.id} data-testid="audit-entry" style={{ borderLeft: "2px solid #e3e3e3", paddingLeft: 12 }}>
                <Text as="p" fontWeight="semibold">
                  {a.summary}
                </Text>
                <Text as="p" tone="subdued" variant="bodySm">
                  {when(a.at)} · {a.actor}
                </Text>
              </div>
            ))}
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}
