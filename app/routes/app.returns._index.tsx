import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineGrid, InlineStack, Layout, Page, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import { Field } from "~/components/returns/Field";
import { z } from "zod";
import { RETURN_TABS } from "~/domain/returns/status";
import { receiveAllRestock } from "~/.server/services/returns/receive-return";
import { returnsPageView } from "~/.server/services/returns/returns-views";
import { requireStaffAction } from "~/.server/services/staff/require-staff-action";
import { authenticate } from "~/shopify.server";

const TAB_LABEL = { requested: "Requested", in_transit: "In transit", received: "Received", awaiting_match: "Awaiting match", closed: "Closed" } as const;
const empty = (v: unknown) => (v === "" ? undefined : v);
const filtersSchema = z.object({
  tab: z.preprocess(empty, z.enum(RETURN_TABS).optional()).catch(undefined),
  q: z.preprocess(empty, z.string().trim().max(100).optional()).catch(undefined),
  location: z.preprocess(empty, z.string().optional()).catch(undefined),
  from: z
    .preprocess(
      empty,
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
    )
    .catch(undefined),
  to: z
    .preprocess(
      empty,
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
    )
    .catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const f = filtersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return returnsPageView(
    session.shop,
    {
      tab: f.tab ?? null,
      q: f.q ?? null,
      locationId: f.location ?? null,
      from: f.from ? new Date(`${f.from}T00:00:00Z`) : null,
      to: f.to ? new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86_400_000) : null,
    },
    new Date(),
  );
}

const bulkSchema = z.object({ location: z.string().min(1), ids: z.array(z.string().min(1)).min(1).max(100) });

export async function action({ request }: ActionFunctionArgs) {
  const { staff } = await requireStaffAction(request, "order.return");
  const form = await request.formData();
  const parsed = bulkSchema.safeParse({ location: form.get("location"), ids: form.getAll("ids") });
  if (!parsed.success) return { ok: false, message: "Choose a location and at least one return in transit." };
  const results = await receiveAllRestock(staff.shop, parsed.data.ids, parsed.data.location, staff.actor, new Date());
  const failed = results.filter((r) => !r.ok);
  return {
    ok: failed.length === 0,
    message: `${results.length - failed.length} return(s) received and restocked${failed.length ? `; ${failed.length} not: ${failed.map((f) => f.message).join("; ")}` : ""}.`,
  };
}

export default function ReturnsPage() {
  const v = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const [selected, setSelected] = useState<string[]>([]);
  const [location, setLocation] = useState(v.locations[0]?.id ?? "");
  const [filterLocation, setFilterLocation] = useState(params.get("location") ?? "");
  const tabLink = (tab: string | null) => {
    const p = new URLSearchParams(params);
    if (tab) p.set("tab", tab);
    else p.delete("tab");
    return `?${p.toString()}`;
  };
  return (
    <Page
      title="Returns"
      primaryAction={{ content: "Receive a parcel without an order", url: "/app/returns/parcel" }}
      secondaryActions={[{ content: "Finance reconciliation", url: "/app/finance" }]}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result && <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner>}
            <InlineGrid columns={3} gap="400">
              <Kpi label="Return rate (30 days, units)" value={v.kpis.returnRate} />
              <Kpi label="Refunded (30 days)" value={v.kpis.refunded} />
              <Kpi label="Receipt → refund" value={v.kpis.receiptToRefund} />
            </InlineGrid>
            <Card>
              <BlockStack gap="300">
                <InlineStack gap="300">
                  <Link to={tabLink(null)} style={{ fontWeight: v.tab ? 450 : 650 }}>
                    All
                  </Link>
                  {RETURN_TABS.map((t) => (
                    <Link key={t} to={tabLink(t)} style={{ fontWeight: v.tab === t ? 650 : 450 }} data-testid={`tab-${t}`}>
                      {TAB_LABEL[t]} ({v.tabCounts[t]})
                    </Link>
                  ))}
                </InlineStack>
                <Form method="get">
                  <input type="hidden" name="tab" value={v.tab ?? ""} />
                  <InlineStack gap="200" blockAlign="end">
                    <Field label="Order, return or SKU" name="q" defaultValue={params.get("q") ?? ""} />
                    <Select
                      label="Location"
                      name="location"
                      options={[{ label: "Any", value: "" }, ...v.locations.map((l) => ({ label: l.name, value: l.id }))]}
                      value={filterLocation}
                      onChange={setFilterLocation}
                    />
                    <Field label="From" type="date" name="from" defaultValue={params.get("from") ?? ""} />
                    <Field label="To" type="date" name="to" defaultValue={params.get("to") ?? ""} />
                    <Button submit>Filter</Button>
                  </InlineStack>
                </Form>
              </BlockStack>
            </Card>
            <Card>
              <Form method="post">
                <BlockStack gap="300">
                  <InlineStack gap="200" blockAlign="end">
                    <Select
                      label="Receive at"
                      name="location"
                      options={v.locations.map((l) => ({ label: l.name, value: l.id }))}
                      value={location}
                      onChange={setLocation}
                    />
                    <Button submit disabled={!selected.length}>{`Receive and restock selected (${selected.length})`}</Button>
                  </InlineStack>
                  <table style={{ width: "100%", borderCollapse: "collapse" }} data-testid="returns-table">
                    <thead>
                      <tr style={{ textAlign: "left" }}>
                        <th />
                        <th>Return</th>
                        <th>Order</th>
                        <th>Status</th>
                        <th>Units</th>
                        <th>SKUs</th>
                        <th>Location</th>
                        <th>Age</th>
                      </tr>
                    </thead>
                    <tbody>
                      {v.rows.map((r) => (
                        <tr key={r.id} style={{ borderTop: "1px solid #e3e3e3" }}>
                          <td>
                            {r.canBulkReceive && (
                              <input
                                type="checkbox"
                                name="ids"
                                value={r.id}
                                aria-label={`select ${r.name}`}
                                checked={selected.includes(r.id)}
                                onChange={(e) => setSelected((s) => (e.target.checked ? [...s, r.id] : s.filter((x) => x !== r.id)))}
                              />
                            )}
                          </td>
                          <td>
                            <Link to={`/app/returns/${r.id}`}>{r.name}</Link>
                            {r.exchange && (
                              <Text as="p" variant="bodySm" tone="subdued">
                                {r.exchange}
                              </Text>
                            )}
                          </td>
                          <td>{r.orderId ? <Link to={`/app/orders/${r.orderId}`}>{r.orderName}</Link> : r.orderName}</td>
                          <td>
                            <Badge tone={r.status === "awaiting_match" ? "warning" : r.status === "closed" ? "success" : undefined}>
                              {r.status.replace("_", " ")}
                            </Badge>
                          </td>
                          <td>
                            {r.units}
                            {r.outstanding && r.status !== "requested" && r.status !== "in_transit" && r.outstanding < r.units
                              ? ` (${r.outstanding} expected)`
                              : ""}
                          </td>
                          <td>{r.skus}</td>
                          <td>{r.location}</td>
                          <td>{r.ageDays} d</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  {v.rows.length === 0 && (
                    <Text as="p" tone="subdued">
                      No returns here.
                    </Text>
                  )}
                </BlockStack>
              </Form>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function Kpi({ label, value }: { label: string; value: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg">
          {value}
        </Text>
      </BlockStack>
    </Card>
  );
}
