import { Form, useNavigation, useRevalidator } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, DataTable, InlineStack, ProgressBar, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import type { SourcingPageView, WhatIfResult, WhatIfRun } from "~/.server/services/sourcing-admin";
import { dec, pct, type ActionResult } from "./format";
import { ResultBanner } from "./ResultBanner";

type Totals = WhatIfResult["active"];
const ROWS: { label: string; key: keyof Totals; show: (n: number | null) => string }[] = [
  { label: "Orders compared", key: "orders", show: (n) => dec(n, 0) },
  { label: "Split rate", key: "splitRate", show: pct },
  { label: "Shipments per order", key: "shipmentsPerOrder", show: (n) => dec(n) },
  { label: "Average distance per shipment (km)", key: "avgDistanceKm", show: (n) => dec(n, 0) },
  { label: "Shipments to a location at capacity", key: "capacityBreaches", show: (n) => dec(n, 0) },
  { label: "Backordered units", key: "backorderedUnits", show: (n) => dec(n, 0) },
  { label: "Orders held whole", key: "held", show: (n) => dec(n, 0) },
];

function delta(a: number | null, b: number | null, show: (n: number | null) => string) {
  if (a === null || b === null) return "—";
  const d = b - a;
  return d === 0 ? "=" : `${d > 0 ? "+" : "−"}${show(Math.abs(d))}`;
}

/**
 * Replays recent routed orders under a draft and under the active rules: read-only, nothing is saved
 * or applied. It runs as a job; while it runs the card shows the job's progress (polling the page
 * every 2 s, like the dashboard's progress card) and then its result.
 */
export function WhatIfCard({ versions, run, result }: { versions: SourcingPageView["versions"]; run: WhatIfRun | null; result?: ActionResult }) {
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const pending = run?.state === "active" || run?.state === "waiting" || run?.state === "delayed";
  useEffect(() => {
    if (!pending) return;
    const t = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 2_000);
    return () => clearInterval(t);
  }, [pending, revalidator]);
  const drafts = versions.filter((v) => v.status === "draft");
  const [version, setVersion] = useState(String(drafts[0]?.version ?? versions[0]?.version ?? ""));
  const [orders, setOrders] = useState("50");
  const w = pending ? undefined : (run?.whatIf ?? undefined);
  const running = pending || (navigation.state === "submitting" && navigation.formData?.get("intent") === "simulate");
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          What if
        </Text>
        <Text as="p" tone="subdued">
          Decides the last orders the OMS routed again, under a draft and under the active rules, and compares. Stock is taken as it is now, not as it was when
          the orders were routed; orders with nothing left to ship are skipped. Nothing is saved or applied.
        </Text>
        <Form method="post">
          <input type="hidden" name="intent" value="simulate" />
          <InlineStack gap="300" blockAlign="end" wrap>
            <Select
              label="Version to try"
              name="version"
              value={version}
              onChange={setVersion}
              options={versions.map((v) => ({ label: `v${v.version} ${v.name} (${v.status})`, value: String(v.version) }))}
              disabled={!versions.length}
            />
            <div style={{ width: 140 }}>
              <TextField label="Last N orders" name="orders" type="number" min={1} max={500} value={orders} onChange={setOrders} autoComplete="off" />
            </div>
            <Button submit loading={running} disabled={!versions.length}>
              Run what-if
            </Button>
          </InlineStack>
        </Form>
        {result && !result.ok ? <ResultBanner result={result} /> : null}
        {pending ? (
          <BlockStack gap="100">
            <Text as="span" variant="bodySm" tone="subdued">
              {run.state === "active" ? `Replaying orders: ${run.progress}%` : "Waiting for a worker…"}
            </Text>
            <ProgressBar progress={run.progress} size="small" tone="highlight" />
          </BlockStack>
        ) : null}
        {!pending && run?.error ? <Banner tone="critical">{run.error}</Banner> : null}
        {w ? (
          <BlockStack gap="300">
            <DataTable
              columnContentTypes={["text", "numeric", "numeric", "numeric"]}
              headings={["", w.baseline, `draft v${w.draftVersion}`, "Change"]}
              rows={ROWS.map((r) => [r.label, r.show(w.active[r.key]), r.show(w.draft[r.key]), delta(w.active[r.key], w.draft[r.key], r.show)])}
            />
            <Text as="p" tone="subdued">
              {`${w.changed.length} order${w.changed.length === 1 ? "" : "s"} would be routed differently; ${w.skipped} skipped.`}
            </Text>
            {w.changed.length ? (
              <DataTable
                columnContentTypes={["text", "text", "text"]}
                headings={["Order", w.baseline, `draft v${w.draftVersion}`]}
                rows={w.changed.map((c) => [c.name, c.active, c.draft])}
              />
            ) : null}
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}
