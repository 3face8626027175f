import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, DataTable, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { promiseKpis } from "~/.server/services/promise/promise-kpis";
import { editIncomingStock, incomingView } from "~/.server/services/promise/incoming-admin";
import { editTransitTime, transitView } from "~/.server/services/promise/transit-admin";
import { registerCarrierRates } from "~/.server/services/promise/register-carrier";
import { requireStaffAction } from "~/.server/services/staff/require-staff-action";
import { DELTA_BUCKETS } from "~/domain/promise/kpis";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const now = new Date();
  const [transit, kpis, incoming] = await Promise.all([
    transitView(session.shop),
    promiseKpis(session.shop, new Date(now.getTime() - 30 * 86_400_000), new Date(now.getTime() + 60_000)),
    incomingView(session.shop, now),
  ]);
  return { transit, kpis, incoming };
}

const formSchema = z.object({
  originLocationId: z.string().min(1, "choose an origin"),
  zone: z.string().trim().min(1, "zone is required"),
  methodCode: z.string().min(1),
  minDays: z.coerce.number(),
  maxDays: z.coerce.number(),
  intent: z.enum(["save", "remove"]),
});

const incomingSchema = z.object({
  reference: z.string().trim().min(1, "reference (PO or transfer number) is required").max(64),
  locationId: z.string().min(1, "choose a location"),
  item: z.string().trim().min(1, "item (SKU or variant ID) is required"),
  quantity: z.coerce.number().default(0),
  expectedDate: z.string().default(""),
  intent: z.enum(["incoming-save", "incoming-remove"]),
});

export async function action({ request }: ActionFunctionArgs) {
  const { staff } = await requireStaffAction(request, "settings.edit");
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "register-carrier") {
    const r = await registerCarrierRates(staff.shop, staff.actor, new Date());
    return { errors: r.ok ? [] : [r.message], notice: r.ok ? r.message : null };
  }
  if (form.intent === "incoming-save" || form.intent === "incoming-remove") {
    const p = incomingSchema.safeParse(form);
    if (!p.success) return { errors: p.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`), notice: null, form: "incoming" };
    const r = await editIncomingStock(staff.shop, { ...p.data, remove: p.data.intent === "incoming-remove" }, staff.actor, new Date());
    return { errors: r.ok ? [] : r.error, notice: null, form: "incoming" };
  }
  const parsed = formSchema.safeParse(form);
  if (!parsed.success) return { errors: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`), notice: null };
  const r = await editTransitTime(staff.shop, { ...parsed.data, remove: parsed.data.intent === "remove" }, staff.actor, new Date());
  return r.ok ? { errors: [] as string[], notice: null } : { errors: r.error, notice: null };
}

export default function PromisePage() {
  const { transit, kpis, incoming } = useLoaderData<typeof loader>();
  const [inRef, setInRef] = useState("");
  const [inLocation, setInLocation] = useState(incoming.locations[0]?.id ?? "");
  const [inItem, setInItem] = useState("");
  const [inQty, setInQty] = useState("1");
  const [inDate, setInDate] = useState("");
  const result = useActionData<typeof action>();
  const [origin, setOrigin] = useState(transit.locations[0]?.id ?? "");
  const [method, setMethod] = useState(transit.methods[0]?.code ?? "standard");
  const [zone, setZone] = useState("US");
  const [minDays, setMin] = useState("2");
  const [maxDays, setMax] = useState("3");
  const pct = (v: number | null) => (v === null ? "—" : `${v}%`);
  const kpiRows = (rows: typeof kpis.byCarrier) =>
    rows.map((r) => [
      r.key,
      String(r.delivered),
      pct(r.keptPct),
      r.meanDeltaDays === null ? "—" : String(r.meanDeltaDays),
      ...DELTA_BUCKETS.map((b) => String(r.histogram[b])),
    ]);
  return (
    <Page title="Delivery promise">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Promised vs actual (last 30 days)
                </Text>
                <InlineStack gap="800">
                  <Text as="p" variant="headingXl" data-testid="promise-kept">
                    {pct(kpis.keptPct)}
                  </Text>
                  <Text as="p" tone="subdued">
                    promise kept · {kpis.delivered} delivered of {kpis.promised} promised · {kpis.atRisk} open at risk
                  </Text>
                </InlineStack>
                <Text as="p" tone="subdued">
                  Days between delivery and the promised last day (negative = early), by carrier and by destination zone.
                </Text>
                <DataTable
                  columnContentTypes={["text", "numeric", "numeric", "numeric", ...DELTA_BUCKETS.map(() => "numeric" as const)]}
                  headings={["Carrier", "Delivered", "Kept", "Mean Δ days", ...DELTA_BUCKETS]}
                  rows={kpiRows(kpis.byCarrier)}
                />
                <DataTable
                  columnContentTypes={["text", "numeric", "numeric", "numeric", ...DELTA_BUCKETS.map(() => "numeric" as const)]}
                  headings={["Zone", "Delivered", "Kept", "Mean Δ days", ...DELTA_BUCKETS]}
                  rows={kpiRows(kpis.byZone)}
                />
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Transit times
                </Text>
                <Text as="p" tone="subdued">
                  Business days from a location to a destination zone per method (a region like US-CA wins over its country, a country over *). Without an
                  entry: {transit.bands.map((b) => `${b.method} ${b.bands}`).join("; ")}.
                </Text>
                <DataTable
                  columnContentTypes={["text", "text", "text", "text", "text"]}
                  headings={["Origin", "Zone", "Method", "Business days", "Set by"]}
                  rows={transit.rows.map((r) => [r.origin, r.zone, r.methodCode, `${r.minDays}–${r.maxDays}`, r.updatedBy])}
                />
                {result?.errors.length && !("form" in result) ? (
                  <Banner tone="critical" title="Not saved">
                    {result.errors.map((e) => (
                      <p key={e}>{e}</p>
                    ))}
                  </Banner>
                ) : null}
                <Form method="post">
                  <InlineStack gap="200" blockAlign="end">
                    <Select
                      label="Origin"
                      name="originLocationId"
                      options={transit.locations.map((l) => ({ label: l.name, value: l.id }))}
                      value={origin}
                      onChange={setOrigin}
                    />
                    <TextField label="Zone" name="zone" value={zone} onChange={setZone} autoComplete="off" helpText='"US", "US-CA" or "*"' />
                    <Select
                      label="Method"
                      name="methodCode"
                      options={transit.methods.map((m) => ({ label: `${m.name} (${m.carrier})`, value: m.code }))}
                      value={method}
                      onChange={setMethod}
                    />
                    <TextField label="Min days" name="minDays" type="number" value={minDays} onChange={setMin} autoComplete="off" />
                    <TextField label="Max days" name="maxDays" type="number" value={maxDays} onChange={setMax} autoComplete="off" />
                    <Button submit variant="primary">
                      Save
                    </Button>
                  </InlineStack>
                  <input type="hidden" name="intent" value="save" />
                </Form>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Incoming stock
                </Text>
                <Text as="p" tone="subdued">
                  Purchase orders and transfers on their way. Units no location has today ship the next shipping day after their arrival; without an entry they
                  get no date. An entry whose day has passed is overdue and no longer used: update its date or remove it once received.
                </Text>
                <DataTable
                  columnContentTypes={["text", "text", "text", "numeric", "text", "text", "text"]}
                  headings={["Reference", "Location", "Item", "Quantity", "Expected", "Set by", ""]}
                  rows={incoming.rows.map((r) => [
                    r.reference,
                    r.location,
                    r.title ? `${r.item} · ${r.title}` : r.item,
                    String(r.quantity),
                    r.overdue ? `${r.expectedDate} (overdue)` : r.expectedDate,
                    r.updatedBy,
                    <Form method="post" key={`${r.reference}|${r.item}|${r.locationId}`}>
                      <input type="hidden" name="intent" value="incoming-remove" />
                      <input type="hidden" name="reference" value={r.reference} />
                      <input type="hidden" name="locationId" value={r.locationId} />
                      <input type="hidden" name="item" value={r.inventoryItemId} />
                      <Button submit variant="plain" tone="critical">
                        Remove
                      </Button>
                    </Form>,
                  ])}
                />
                {result && "form" in result && result.errors.length ? (
                  <Banner tone="critical" title="Not saved">
                    {result.errors.map((e) => (
                      <p key={e}>{e}</p>
                    ))}
                  </Banner>
                ) : null}
                <Form method="post">
                  <InlineStack gap="200" blockAlign="end">
                    <TextField label="Reference" name="reference" value={inRef} onChange={setInRef} autoComplete="off" helpText="PO or transfer number" />
                    <Select
                      label="Location"
                      name="locationId"
                      options={incoming.locations.map((l) => ({ label: l.name, value: l.id }))}
                      value={inLocation}
                      onChange={setInLocation}
                    />
                    <TextField label="Item" name="item" value={inItem} onChange={setInItem} autoComplete="off" helpText="SKU or variant ID" />
                    <TextField label="Quantity" name="quantity" type="number" value={inQty} onChange={setInQty} autoComplete="off" />
                    <TextField
                      label="Expected"
                      name="expectedDate"
                      type="date"
                      value={inDate}
                      onChange={setInDate}
                      autoComplete="off"
                      helpText="day it arrives there"
                    />
                    <Button submit variant="primary">
                      Save
                    </Button>
                  </InlineStack>
                  <input type="hidden" name="intent" value="incoming-save" />
                </Form>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Dates without Shopify Plus
                </Text>
                <Text as="p" tone="subdued">
                  Checkout extensions at the shipping step need Plus. Carrier-calculated rates show the same promise as delivery dates on every plan that has
                  third-party calculated shipping.
                </Text>
                {result?.notice ? <Banner tone="success">{result.notice}</Banner> : null}
                <Form method="post">
                  <input type="hidden" name="intent" value="register-carrier" />
                  <Button submit>Register carrier-calculated rates</Button>
                </Form>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Changes
                </Text>
                {transit.audit.length ? (
                  transit.audit.map((a) => (
                    <Text as="p" key={a.at + a.summary} tone="subdued">
                      {a.at.slice(0, 16).replace("T", " ")} · {a.actor}: {a.summary}
                    </Text>
                  ))
                ) : (
                  <Text as="p" tone="subdued">
                    No changes yet.
                  </Text>
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
