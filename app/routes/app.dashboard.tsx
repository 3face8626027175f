import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, EmptyState, InlineGrid, InlineStack, Page, Text, TextField } from "@shopify/polaris";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { useState, type ReactNode } from "react";
import { dashboardView, periodOf } from "~/.server/services/ops/kpi-views";
import { Bars, Line, VizProvider, type Series } from "~/components/ops/KpiCharts";
import { ProgressCard } from "~/components/ops/ProgressCard";
import { authenticate } from "~/shopify.server";

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

const DAY = 86_400_000;

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const { from, to } = periodOf(new URL(request.url), new Date());
  return dashboardView(session.shop, from, to);
}

const pct = (v: number | null) => (v === null ? "—" : `${v}%`);
const num = (v: number | null, unit = "") => (v === null ? "—" : `${v}${unit}`);
/** Ship times are hours; under one hour they read better in minutes. */
const duration = (h: number | null) => (h === null ? "—" : h < 1 ? `${Math.round(h * 60)} min` : `${h} h`);

function Change({ value, unit, goodWhen }: { value: number | null; unit: string; goodWhen: "up" | "down" }) {
  if (value === null)
    return (
      <Text as="span" tone="subdued" variant="bodySm">
        no comparison
      </Text>
    );
  const good = value === 0 ? null : value > 0 === (goodWhen === "up");
  return <Badge tone={good === null ? undefined : good ? "success" : "critical"}>{`${value > 0 ? "+" : ""}${value}${unit} vs previous`}</Badge>;
}

function ChartCard({ title, chart, children, note }: { title: string; chart: string; children: ReactNode; note?: string }) {
  const [params] = useSearchParams();
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingSm">
            {title}
          </Text>
          <Button variant="plain" url={`/app/dashboard/csv?${new URLSearchParams({ ...Object.fromEntries(params), chart })}`} download>
            Export CSV
          </Button>
        </InlineStack>
        {note ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {note}
          </Text>
        ) : null}
        {children}
      </BlockStack>
    </Card>
  );
}

export default function Dashboard() {
  const v = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const [from, setFrom] = useState(params.get("from") ?? v.from.slice(0, 10));
  const [to, setTo] = useState(params.get("to") ?? new Date(Date.parse(v.to) - DAY).toISOString().slice(0, 10));
  const s = v.summary;
  // Axis labels: MM-DD by day, HH:00 by hour.
  const label = (key: string) => (v.bucket === "hour" ? key.slice(11) : key.slice(5));
  const shipTime: Series[] = [
    { name: "p50 hours", data: v.days.map((d) => ({ key: label(d.day), value: d.shipHoursP50 })) },
    { name: "p90 hours", data: v.days.map((d) => ({ key: label(d.day), value: d.shipHoursP90 })) },
  ];
  const load: Series[] = [{ name: "Exceptions per 100 orders", data: v.days.map((d) => ({ key: label(d.day), value: d.exceptionLoadPer100 })) }];
  const channels = [...new Set(v.days.flatMap((d) => Object.keys(d.byChannel)))].sort();
  const byChannel: Series[] = channels.map((c) => ({ name: c, data: v.days.map((d) => ({ key: label(d.day), value: d.byChannel[c] ?? 0 })) }));
  const rates: Series[] = [
    {
      name: "This period",
      data: [
        ["First-attempt allocation", s.firstAttemptAllocationRate],
        ["Split", s.splitRate],
        ["Backorder", s.backorderRate],
        ["Return", s.returnRate],
      ].map(([k, val]) => ({ key: String(k), value: val as number | null })),
    },
    {
      name: "Previous period",
      data: [
        ["First-attempt allocation", v.before.firstAttemptAllocationRate],
        ["Split", v.before.splitRate],
        ["Backorder", v.before.backorderRate],
        ["Return", v.before.returnRate],
      ].map(([k, val]) => ({ key: String(k), value: val as number | null })),
    },
  ];
  const tile = (label: string, value: string, change: ReactNode) => (
    <Card>
      <BlockStack gap="100">
        <Text as="p" variant="bodySm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg">
          {value}
        </Text>
        {change}
      </BlockStack>
    </Card>
  );
  return (
    <Page
      title="Operations dashboard"
      subtitle={`${v.from.slice(0, 10)} to ${new Date(Date.parse(v.to) - DAY).toISOString().slice(0, 10)}, compared with ${v.previous.from.slice(0, 10)} – ${new Date(Date.parse(v.previous.to) - DAY).toISOString().slice(0, 10)}`}
    >
      <VizProvider>
        <BlockStack gap="400">
          <ProgressCard />
          <Card>
            <Form method="get">
              <InlineStack gap="300" blockAlign="end">
                <TextField label="From" type="date" name="from" value={from} onChange={setFrom} autoComplete="off" />
                <TextField label="To" type="date" name="to" value={to} onChange={setTo} autoComplete="off" />
                <Button submit>Apply</Button>
              </InlineStack>
            </Form>
          </Card>
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
            {tile("Orders", String(s.orders), <Change value={v.changes.orders} unit="%" goodWhen="up" />)}
            {tile(
              "First-attempt allocation",
              pct(s.firstAttemptAllocationRate),
              <Change value={v.changes.firstAttemptAllocationRate} unit=" pts" goodWhen="up" />,
            )}
            {tile(
              "Order to ship p50 / p90",
              `${duration(s.shipHoursP50)} / ${duration(s.shipHoursP90)}`,
              <Change value={v.changes.shipHoursP90} unit="% (p90)" goodWhen="down" />,
            )}
            {tile("Exceptions per 100 orders", num(s.exceptionLoadPer100), <Change value={v.changes.exceptionLoadPer100} unit=" pts" goodWhen="down" />)}
            {tile("Split rate", pct(s.splitRate), <Change value={v.changes.splitRate} unit=" pts" goodWhen="down" />)}
            {tile("Backorder rate", pct(s.backorderRate), <Change value={v.changes.backorderRate} unit=" pts" goodWhen="down" />)}
            {tile("Return rate", pct(s.returnRate), <Change value={v.changes.returnRate} unit=" pts" goodWhen="down" />)}
            {tile("Routed orders", String(s.routed), <Text as="span" variant="bodySm" tone="subdued">{`${v.before.routed} previous period`}</Text>)}
          </InlineGrid>
          <ChartCard title="Promised vs actual delivery, by carrier and zone" chart="promise">
            {v.promise && v.promise.length ? (
              <Bars
                horizontal
                stacked
                data={[
                  { name: "On time", data: v.promise.map((r) => ({ key: `${r.carrier} · ${r.zone}`, value: r.onTime })) },
                  { name: "Late", data: v.promise.map((r) => ({ key: `${r.carrier} · ${r.zone}`, value: r.late })) },
                ]}
              />
            ) : (
              <EmptyState heading="No delivery promises measured yet" image="">
                <p>Promised vs actual appears here once delivery promises are recorded (the delivery-promise feature).</p>
              </EmptyState>
            )}
          </ChartCard>
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            <ChartCard title={`Order to ship time (hours), p50 and p90 by ${v.bucket} placed`} chart="ship-time">
              <Line data={shipTime} />
            </ChartCard>
            <ChartCard title="Manual exception load per 100 orders" chart="exception-load">
              <Line data={load} />
            </ChartCard>
            <ChartCard title="Orders per channel" chart="orders-by-channel">
              <Bars data={byChannel} stacked />
            </ChartCard>
            <ChartCard
              title="Allocation, split, backorder and return rates (%)"
              chart="rates"
              note="First routing attempt per order; this period against the previous one."
            >
              <Bars data={rates} />
            </ChartCard>
          </InlineGrid>
        </BlockStack>
      </VizProvider>
    </Page>
  );
}
