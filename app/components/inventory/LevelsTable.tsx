import { Link, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, IndexTable, InlineStack, Text } from "@shopify/polaris";
import type { InventoryPageView } from "~/.server/services/inventory-views";
import { CardTitle, Num, when } from "./format";

const HEADINGS = [
  { title: "SKU" },
  { title: "Item" },
  { title: "Location" },
  { title: "On hand", alignment: "end" },
  { title: "Reserved (OMS)", alignment: "end" },
  { title: "Committed (Shopify)", alignment: "end" },
  { title: "Safety stock", alignment: "end" },
  { title: "Other unavailable", alignment: "end" },
  { title: "ATP", alignment: "end" },
  { title: "Shopify available", alignment: "end" },
  { title: "Held back", alignment: "end" },
  { title: "Last sync" },
] as const;

/** One row per variant × location; stale rows are badged and tinted. */
export function LevelsTable({ levels, next }: Pick<InventoryPageView, "levels" | "next">) {
  const [params] = useSearchParams();
  const keep = new URLSearchParams(params);
  keep.delete("after");
  const base = keep.toString();
  return (
    <BlockStack gap="200">
      <div data-testid="inventory-levels">
        <Card padding="0">
          <IndexTable
            resourceName={{ singular: "level", plural: "levels" }}
            itemCount={levels.length}
            selectable={false}
            emptyState={
              <div style={{ padding: 16 }}>
                <Text as="p">No inventory levels match. Levels appear after the first sync with Shopify (or press Reconcile now).</Text>
              </div>
            }
            headings={[...HEADINGS]}
          >
            {levels.map((l, i) => (
              <IndexTable.Row id={l.id} key={l.id} position={i} tone={l.stale ? "warning" : undefined}>
                <IndexTable.Cell>
                  <Text as="span" fontWeight="semibold">
                    {l.sku ?? "—"}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{l.title ?? "—"}</IndexTable.Cell>
                <IndexTable.Cell>{l.location}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Num value={l.onHand} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Num value={l.reserved} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Num value={l.committed} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Num value={l.safetyStock} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Num value={l.unavailable} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric fontWeight="semibold" tone={l.atp === 0 ? "critical" : undefined}>
                    {l.atp.toLocaleString()}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Num value={l.shopifyAvailable} tone={l.shopifyAvailable !== l.atp ? "caution" : undefined} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Num value={l.heldBack} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <InlineStack gap="100" blockAlign="center" wrap={false}>
                    <Text as="span" variant="bodySm">
                      {when(l.observedAt)}
                    </Text>
                    {l.stale ? <Badge tone="warning">stale</Badge> : null}
                  </InlineStack>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        </Card>
      </div>
      <InlineStack align="center" gap="400">
        {params.get("after") ? <Link to={`?${base}`}>← First page</Link> : null}
        {next ? <Link to={`?${base ? `${base}&` : ""}after=${next}`}>More levels →</Link> : null}
      </InlineStack>
    </BlockStack>
  );
}

/** ATP per channel for the items on this page: every location, and the ones that sell online. */
export function ChannelSummary({ channels }: Pick<InventoryPageView, "channels">) {
  if (!channels.length) return null;
  return (
    <Card>
      <BlockStack gap="200">
        <CardTitle>ATP by channel</CardTitle>
        <Text as="p" tone="subdued" variant="bodySm">
          For the items listed above, over all of their locations (whatever the location filter).
        </Text>
        <DataTable
          columnContentTypes={["text", "text", "numeric", "numeric", "numeric"]}
          headings={["SKU", "Item", "Locations", "Online store", "All locations"]}
          rows={channels.map((c) => [c.sku ?? "—", c.title ?? "—", c.locations, c.online, c.all])}
        />
      </BlockStack>
    </Card>
  );
}
