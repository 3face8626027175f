import { Form, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, DataTable, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { InventoryPageView } from "~/.server/services/inventory-views";
import { CardTitle, Num, when, type ActionResult } from "./format";

const SCOPES = [
  { label: "Shop default", value: "shop" },
  { label: "A location", value: "location" },
  { label: "An item (by SKU)", value: "item" },
  { label: "An item at a location", value: "item_location" },
];

/** Sets a safety-stock rule at any scope, and lists the rules with who set them. */
export function SafetyStockCard({ rules, locations, result }: Pick<InventoryPageView, "rules" | "locations"> & { result?: ActionResult }) {
  const navigation = useNavigation();
  const [scope, setScope] = useState("shop");
  const [locationId, setLocationId] = useState(locations[0]?.id ?? "");
  const [sku, setSku] = useState("");
  const [quantity, setQuantity] = useState("");
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const atLocation = scope === "location" || scope === "item_location";
  const forItem = scope === "item" || scope === "item_location";
  return (
    <Card>
      <BlockStack gap="300">
        <CardTitle>Safety stock</CardTitle>
        <Text as="p" tone="subdued">
          Units never promised. The most specific rule wins: item at location, then item, then location, then the shop default.
        </Text>
        {result ? (
          <Banner tone={result.ok ? "success" : "critical"} title={result.ok ? undefined : "Safety stock not changed"}>
            <p data-testid="safety-stock-message">{result.message}</p>
          </Banner>
        ) : null}
        <Form method="post">
          <input type="hidden" name="intent" value="safety-stock" />
          <InlineStack gap="300" blockAlign="end" wrap>
            <Select label="Applies to" name="scope" value={scope} onChange={setScope} options={SCOPES} />
            {atLocation ? (
              <Select
                label="Location"
                name="locationId"
                value={locationId}
                onChange={setLocationId}
                options={locations.map((l) => ({ label: l.name, value: l.id }))}
              />
            ) : null}
            {forItem ? (
              <div style={{ minWidth: 160 }}>
                <TextField label="SKU" name="sku" value={sku} onChange={setSku} autoComplete="off" />
              </div>
            ) : null}
            <div style={{ width: 120 }}>
              <TextField label="Quantity" type="number" name="quantity" value={quantity} onChange={setQuantity} min={0} autoComplete="off" />
            </div>
            <Button submit variant="primary" loading={busy("safety-stock")}>
              Set safety stock
            </Button>
          </InlineStack>
        </Form>
        {rules.length === 0 ? (
          <Text as="p" tone="subdued">
            No rules: every level holds back nothing.
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "numeric", "text", "text"]}
            headings={["Applies to", "Location", "Item", "Quantity", "Set by", ""]}
            rows={rules.map((r) => [
              r.scope,
              r.location ?? "any",
              r.item ?? "any",
              <Num key="q" value={r.quantity} />,
              <Text key="by" as="span" variant="bodySm">{`${r.updatedBy} · ${when(r.updatedAt)}`}</Text>,
              <Form key="rm" method="post">
                <input type="hidden" name="intent" value="remove-rule" />
                <input type="hidden" name="locationId" value={r.locationId} />
                <input type="hidden" name="inventoryItemId" value={r.inventoryItemId} />
                <Button submit size="slim" tone="critical" variant="plain">
                  Remove
                </Button>
              </Form>,
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
