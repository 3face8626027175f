import { useSearchParams } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, InlineStack, Select, Text } from "@shopify/polaris";
import type { SourcingPageView } from "~/.server/services/sourcing-admin";
import { dec, pct } from "./format";

const WINDOWS = [
  { label: "Last 24 hours", value: "24h" },
  { label: "Last 7 days", value: "7d" },
  { label: "Last 30 days", value: "30d" },
];

function Figure({ label, value, help }: { label: string; value: string; help: string }) {
  return (
    <BlockStack gap="100">
      <Text as="p" tone="subdued" variant="bodySm">
        {label}
      </Text>
      <Text as="p" variant="headingLg">
        {value}
      </Text>
      <Text as="p" tone="subdued" variant="bodySm">
        {help}
      </Text>
    </BlockStack>
  );
}

/** How the live routing went over the chosen window (the window lives in the URL). */
export function KpiCard({ kpis, window }: Pick<SourcingPageView, "kpis" | "window">) {
  const [params, setParams] = useSearchParams();
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Routing KPIs
          </Text>
          <Select label="Window" labelInline options={WINDOWS} value={window} onChange={(v) => setParams({ ...Object.fromEntries(params), window: v })} />
        </InlineStack>
        <InlineGrid columns={{ xs: 2, md: 3 }} gap="400">
          <Figure label="Orders routed" value={kpis.routed.toLocaleString()} help="live decisions by the OMS" />
          <Figure label="First-attempt allocation" value={pct(kpis.firstAttemptRate)} help="every unit allocated, taken by Shopify as decided" />
          <Figure label="Split rate" value={pct(kpis.splitRate)} help="orders shipped from several locations" />
          <Figure label="Shipments per order" value={dec(kpis.shipmentsPerOrder)} help="average, orders with a plan" />
          <Figure label="Backorder rate" value={pct(kpis.backorderRate)} help={`plus ${kpis.held} order${kpis.held === 1 ? "" : "s"} held whole`} />
          <Figure label="Rejected by Shopify" value={kpis.rejectedByShopify.toLocaleString()} help="moves Shopify refused; its routing stood" />
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}
