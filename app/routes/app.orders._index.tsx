import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { BlockStack, Button, Card, EmptyState, IndexTable, InlineStack, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { resyncRun, startResync } from "~/.server/services/ops/resync-orders";
import { orderListView } from "~/.server/services/order-views";
import { requireStaffAction } from "~/.server/services/staff/require-staff-action";
import { ProgressCard } from "~/components/ops/ProgressCard";
import { StateBadge } from "~/components/StateBadge";
import { ORDER_STATES } from "~/domain/order/lifecycle";
import { parseOrderFilters } from "~/schemas/order-filters";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const [list, resync] = await Promise.all([orderListView(session.shop, parseOrderFilters(new URL(request.url))), resyncRun(session.shop)]);
  return { ...list, resync };
}

/** POST intent=resync: re-read every open order from Shopify, as a job whose progress the page shows. */
export async function action({ request }: ActionFunctionArgs) {
  const { staff } = await requireStaffAction(request, "orders.resync");
  const form = await request.formData();
  if (form.get("intent") !== "resync") return { ok: false, message: "Unknown action." };
  const r = await startResync(staff.shop, staff.actor, new Date());
  return { ok: true, message: r.started ? "Re-reading the open orders from Shopify." : "A resync is already running.", jobId: r.jobId };
}

const CHANNELS = ["online_store", "pos", "draft", "import", "amazon", "other"];

export default function Orders() {
  const { orders, next, locations, resync } = useLoaderData<typeof loader>();
  const resyncStarted = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const [q, setQ] = useState(params.get("q") ?? "");
  const [channel, setChannel] = useState(params.get("channel") ?? "");
  const [state, setState] = useState(params.get("state") ?? "");
  const [exception, setException] = useState(params.get("exception") ?? "");
  const [location, setLocation] = useState(params.get("location") ?? "");
  const [from, setFrom] = useState(params.get("from") ?? "");
  const [to, setTo] = useState(params.get("to") ?? "");
  const keep = new URLSearchParams(params);
  keep.delete("after");

  return (
    <Page title="Orders" subtitle="Every order from every channel, newest first">
      <BlockStack gap="400">
        <ProgressCard />
        <Card>
          <Form method="post">
            <input type="hidden" name="intent" value="resync" />
            <InlineStack gap="300" blockAlign="center" align="space-between">
              <Text as="p" tone="subdued">
                {resyncStarted?.message ??
                  (resync?.state === "completed" && resync.result
                    ? `Last resync read ${resync.result.synced} of ${resync.result.orders} open orders${resync.result.failed.length ? `; ${resync.result.failed.length} could not be read` : ""}.`
                    : "Re-read every open order from Shopify (progress shows above while it runs).")}
              </Text>
              <Button submit loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "resync"}>
                Re-read open orders
              </Button>
            </InlineStack>
          </Form>
        </Card>
        <Card>
          <Form method="get">
            <InlineStack gap="300" blockAlign="end" wrap>
              <div style={{ minWidth: 220 }}>
                <TextField label="Search" name="q" value={q} onChange={setQ} placeholder="#1001 or email" autoComplete="off" />
              </div>
              <Select
                label="Channel"
                name="channel"
                value={channel}
                onChange={setChannel}
                options={[{ label: "All", value: "" }, ...CHANNELS.map((c) => ({ label: c.replace("_", " "), value: c }))]}
              />
              <Select
                label="Status"
                name="state"
                value={state}
                onChange={setState}
                options={[{ label: "All", value: "" }, ...ORDER_STATES.map((s) => ({ label: s.replace("_", " "), value: s }))]}
              />
              <Select
                label="Location"
                name="location"
                value={location}
                onChange={setLocation}
                options={[{ label: "All", value: "" }, ...locations.map((l) => ({ label: l.name, value: l.id }))]}
              />
              <Select
                label="Exception"
                name="exception"
                value={exception}
                onChange={setException}
                options={[
                  { label: "All", value: "" },
                  { label: "With exception", value: "any" },
                  { label: "Healthy", value: "none" },
                ]}
              />
              <TextField label="From" type="date" name="from" value={from} onChange={setFrom} autoComplete="off" />
              <TextField label="To" type="date" name="to" value={to} onChange={setTo} autoComplete="off" />
              <Button submit loading={navigation.state === "loading"}>
                Filter
              </Button>
            </InlineStack>
          </Form>
        </Card>
        <Card padding="0">
          {orders.length === 0 ? (
            <EmptyState heading="No orders match" image="">
              <p>Orders appear here as soon as Shopify sends them.</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "order", plural: "orders" }}
              itemCount={orders.length}
              selectable={false}
              headings={[
                { title: "Order" },
                { title: "Placed" },
                { title: "Customer" },
                { title: "Channel" },
                { title: "Status" },
                { title: "Locations" },
                { title: "Total", alignment: "end" },
              ]}
            >
              {orders.map((o, i) => (
                <IndexTable.Row id={o.id} key={o.id} position={i}>
                  <IndexTable.Cell>
                    <Link to={`/app/orders/${o.id}`} data-testid="order-link">
                      <Text as="span" fontWeight="semibold">
                        {o.name}
                      </Text>
                    </Link>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{new Date(o.placedAt).toLocaleString()}</IndexTable.Cell>
                  <IndexTable.Cell>{o.customer ?? "—"}</IndexTable.Cell>
                  <IndexTable.Cell>{o.channel}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <InlineStack gap="100">
                      <StateBadge state={o.state} />
                      {o.exception ? (
                        <Text as="span" tone="critical">
                          {o.exception}
                        </Text>
                      ) : null}
                    </InlineStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{o.locations.join(", ") || "—"}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {o.total}
                    </Text>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>
        <InlineStack align="center">
          {next ? <Link to={`?${keep.toString() ? `${keep.toString()}&` : ""}after=${next}`}>Older orders →</Link> : null}
        </InlineStack>
      </BlockStack>
    </Page>
  );
}
