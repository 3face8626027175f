// One return: approve (label / instructions) or decline (reason), receive line by line at a
// location with dispositions, refund (lines, shipping, restocking fee, store credit), and for a
// parcel without an order reference: the candidate orders, explained, and the match.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, Layout, Page, Select, Text } from "@shopify/polaris";
import { randomUUID } from "node:crypto";
import { useState } from "react";
import { Field } from "~/components/returns/Field";
import { z } from "zod";
import { parseMoney } from "~/domain/shared/money";
import { describeRefusal, issueRefund } from "~/.server/services/finance/issue-refund";
import { DECLINE_REASONS } from "~/domain/returns/status";
import { approveReturn, declineReturn } from "~/.server/services/returns/decide-return";
import { confirmParcelMatch } from "~/.server/services/returns/parcels";
import { receiveReturn } from "~/.server/services/returns/receive-return";
import { returnDetailView } from "~/.server/services/returns/returns-views";
import type { ReturnError } from "~/.server/services/returns/shared";
import { requireStaffAction } from "~/.server/services/staff/require-staff-action";
import { authenticate } from "~/shopify.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const view = await returnDetailView(session.shop, params.id ?? "", new Date());
  if (!view) throw new Response("No such return", { status: 404 });
  // A fresh request key per page view: a double click on Refund sends the same key (one refund).
  return { ...view, refundKey: randomUUID() };
}

const n = z.coerce.number().int().min(0).max(10_000);
const actionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("approve"),
    version: n,
    instructions: z.string().trim().max(500).optional(),
    trackingNumber: z.string().trim().max(100).optional(),
    labelUrl: z.string().trim().url().optional().or(z.literal("")),
  }),
  z.object({ intent: z.literal("decline"), version: n, reason: z.enum(DECLINE_REASONS), note: z.string().trim().max(500).optional() }),
  z.object({ intent: z.literal("receive"), version: n, location: z.string().min(1) }),
  z.object({
    intent: z.literal("refund"),
    key: z.string().uuid(),
    currency: z.string().length(3),
    shipping: z.string().trim().optional(),
    storeCredit: z.string().trim().optional(),
    restockingFeePercent: z.coerce.number().int().min(0).max(100),
    note: z.string().trim().max(255).optional(),
  }),
  z.object({ intent: z.literal("match"), version: n, orderId: z.string().min(1) }),
]);

const returnMessage = (e: ReturnError) => ("message" in e ? e.message : "No such return or order.");
type ActionResult = { ok: boolean; message: string };

export async function action({ request, params }: ActionFunctionArgs): Promise<ActionResult> {
  const form = await request.formData();
  const raw = Object.fromEntries(form);
  const { staff } = await requireStaffAction(request, raw.intent === "refund" ? "order.refund" : "order.return");
  const parsed = actionSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: "Check the form." };
  const f = parsed.data;
  const id = params.id ?? "";
  const now = new Date();
  const field = (prefix: string) =>
    [...form.entries()].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => ({ id: k.slice(prefix.length), value: Number(v) || 0 }));
  switch (f.intent) {
    case "approve": {
      const r = await approveReturn(
        {
          shop: staff.shop,
          returnId: id,
          version: f.version,
          instructions: f.instructions || null,
          tracking: f.trackingNumber ? { number: f.trackingNumber, url: null } : null,
          labelUrl: f.labelUrl || null,
          actor: staff.actor,
        },
        now,
      );
      return r.ok ? { ok: true, message: "Approved: the customer can send it back." } : { ok: false, message: returnMessage(r.error) };
    }
    case "decline": {
      const r = await declineReturn({ shop: staff.shop, returnId: id, version: f.version, reason: f.reason, note: f.note || null, actor: staff.actor }, now);
      return r.ok ? { ok: true, message: "Declined." } : { ok: false, message: returnMessage(r.error) };
    }
    case "receive": {
      const byLine = new Map<string, Record<string, number>>();
      for (const d of ["restock", "damaged", "quality_control", "missing"])
        for (const x of field(`${d}:`)) byLine.set(x.id, { ...(byLine.get(x.id) ?? {}), [d]: x.value });
      const r = await receiveReturn(
        {
          shop: staff.shop,
          returnId: id,
          version: f.version,
          locationId: f.location,
          receipts: [...byLine].map(([lineId, q]) => ({ lineId, ...q })),
          actor: staff.actor,
        },
        now,
      );
      return r.ok ? { ok: true, message: `${r.value.received} unit(s) received.` } : { ok: false, message: returnMessage(r.error) };
    }
    case "refund": {
      const view = await returnDetailView(staff.shop, id, now);
      if (!view?.orderId) return { ok: false, message: "Match the parcel to an order before refunding." };
      const money = (s: string | undefined) => {
        const m = s ? parseMoney(s, f.currency) : null;
        return m?.ok ? m.value.amount : 0n;
      };
      const lines = field("refundqty:")
        .filter((x) => x.value > 0)
        .map((x) => ({ sourceLineId: view.lines.find((l) => l.id === x.id)?.sourceLineId ?? "", quantity: x.value }));
      const r = await issueRefund(
        {
          shop: staff.shop,
          orderId: view.orderId,
          returnId: id,
          requestKey: f.key,
          lines,
          shippingMinor: money(f.shipping),
          restockingFeePercent: f.restockingFeePercent,
          storeCreditMinor: money(f.storeCredit),
          note: f.note || null,
          actor: staff.actor,
        },
        now,
      );
      return r.ok
        ? { ok: true, message: r.value.replayed ? "Already refunded (the same request)." : "Refunded." }
        : { ok: false, message: describeRefusal(r.error) };
    }
    case "match": {
      const r = await confirmParcelMatch({ shop: staff.shop, returnId: id, version: f.version, orderId: f.orderId, actor: staff.actor }, now);
      return r.ok
        ? { ok: true, message: `Matched: return ${r.value.returnName}. Nothing was refunded; refund below if due.` }
        : { ok: false, message: returnMessage(r.error) };
    }
  }
}

export default function ReturnDetail() {
  const v = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [location, setLocation] = useState(v.locationId ?? v.locations[0]?.id ?? "");
  const [reason, setReason] = useState<string>(DECLINE_REASONS[0]);
  // Units can be received while the parcel is on its way or partly in; once every unit is in
  // (restocked, damaged, held for QC or written off as missing) there is nothing left to receive.
  const receivable = (v.status === "in_transit" || v.status === "received") && v.lines.some((l) => l.outstanding > 0);
  return (
    <Page title={`Return ${v.name}`} backAction={{ url: "/app/returns" }} titleMetadata={<Badge>{v.status.replace("_", " ")}</Badge>}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result && <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner>}
            <Card>
              <BlockStack gap="200">
                <Text as="p">
                  Order: {v.orderId ? <Link to={`/app/orders/${v.orderId}`}>{v.orderName}</Link> : "not matched yet"}
                  {v.reason ? ` · reason: ${v.reason}` : ""}
                  {v.restockingFeePercent ? ` · restocking fee ${v.restockingFeePercent} %` : ""}
                  {v.returnShippingFee ? ` · return shipping fee ${v.returnShippingFee}` : ""}
                </Text>
                {v.instructions && <Text as="p">Instructions: {v.instructions}</Text>}
                {v.tracking && <Text as="p">Label / tracking: {v.tracking.number}</Text>}
                {v.declineReason && <Text as="p">Declined: {v.declineReason}</Text>}
                {v.exchangeLines.length > 0 && (
                  <Text as="p">
                    Exchange: {v.exchangeLines.map((e) => `${e.quantity} × ${e.variantId}${e.unitPrice ? ` at ${e.unitPrice}` : ""}`).join(", ")} · ships{" "}
                    {v.exchangePolicy === "on_request" ? "on request" : "on receipt"} ·{" "}
                    {v.exchangeReleasedAt ? `released ${new Date(v.exchangeReleasedAt).toLocaleString()}` : "held"}
                  </Text>
                )}
                {v.exchangeDifference && (
                  <Text as="p" tone={v.exchangeDifference.collect ? "caution" : undefined}>
                    Price difference: returned {v.exchangeDifference.returned}, exchange {v.exchangeDifference.exchange} —{" "}
                    {v.exchangeDifference.refund
                      ? `${v.exchangeDifference.refund} to refund (less any restocking fee; refunded once when every unit is received${v.refundedAt ? ", done" : ""})`
                      : v.exchangeDifference.collect
                        ? `${v.exchangeDifference.collect} to collect from the customer`
                        : "even, nothing to refund or collect"}
                    {v.exchangeSettlement &&
                      (v.exchangeSettlement.status === "settled"
                        ? " · settled"
                        : v.exchangeSettlement.status === "failed"
                          ? ` · not settled: ${v.exchangeSettlement.error ?? "refused"} (in the exception queue)`
                          : ` · being settled${v.exchangeSettlement.attempts ? ` (${v.exchangeSettlement.attempts} ${v.exchangeSettlement.attempts === 1 ? "try" : "tries"} so far; Shopify is retried)` : ""}`)}
                  </Text>
                )}
                {v.slip && (
                  <Text as="p">
                    Slip:{" "}
                    {Object.entries(v.slip)
                      .filter(([, x]) => x)
                      .map(([k, x]) => `${k} ${x}`)
                      .join(", ") || "nothing"}
                  </Text>
                )}
                {v.waitingSince && (
                  <Text as="p" tone="caution">
                    Waiting for a match since {new Date(v.waitingSince).toLocaleString()} (in the exception queue).
                  </Text>
                )}
              </BlockStack>
            </Card>
            {v.status === "requested" && (
              <Card>
                <InlineStack gap="600" blockAlign="start">
                  <Form method="post">
                    <input type="hidden" name="intent" value="approve" />
                    <input type="hidden" name="version" value={v.version} />
                    <BlockStack gap="200">
                      <Field label="Instructions for the customer" name="instructions" />
                      <Field label="Return label tracking number" name="trackingNumber" />
                      <Field label="Label URL" name="labelUrl" />
                      <Button submit variant="primary">
                        Approve
                      </Button>
                    </BlockStack>
                  </Form>
                  <Form method="post">
                    <input type="hidden" name="intent" value="decline" />
                    <input type="hidden" name="version" value={v.version} />
                    <BlockStack gap="200">
                      <Select
                        label="Decline reason"
                        name="reason"
                        options={DECLINE_REASONS.map((r) => ({ label: r.toLowerCase().replace(/_/g, " "), value: r }))}
                        value={reason}
                        onChange={setReason}
                      />
                      <Field label="Note to the customer" name="note" />
                      <Button submit tone="critical">
                        Decline
                      </Button>
                    </BlockStack>
                  </Form>
                </InlineStack>
              </Card>
            )}
            <Card>
              <Form method="post">
                <input type="hidden" name="intent" value="receive" />
                <input type="hidden" name="version" value={v.version} />
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Lines
                  </Text>
                  <table style={{ width: "100%" }} data-testid="return-lines">
                    <thead>
                      <tr style={{ textAlign: "left" }}>
                        <th>Item</th>
                        <th>Qty</th>
                        <th>Received</th>
                        {receivable && <th>Restock</th>}
                        {receivable && <th>Damaged</th>}
                        {receivable && <th>Quality control</th>}
                        {receivable && <th>Missing</th>}
                      </tr>
                    </thead>
                    <tbody>
                      {v.lines.map((l) => (
                        <tr key={l.id}>
                          <td>
                            {l.sku} · {l.title} · {l.unitPrice}
                          </td>
                          <td>{l.quantity}</td>
                          <td>
                            {l.restocked} restocked, {l.damaged} damaged, {l.qualityControl} QC, {l.missing} missing
                          </td>
                          {receivable &&
                            ["restock", "damaged", "quality_control", "missing"].map((d) => (
                              <td key={d}>
                                <input
                                  type="number"
                                  min={0}
                                  max={l.outstanding}
                                  defaultValue={0}
                                  name={`${d}:${l.id}`}
                                  aria-label={`${d} ${l.sku}`}
                                  style={{ width: 60 }}
                                  disabled={l.outstanding === 0}
                                />
                              </td>
                            ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  {receivable && (
                    <InlineStack gap="200" blockAlign="end">
                      <Select
                        label="Received at"
                        name="location"
                        options={v.locations.map((l) => ({ label: l.name, value: l.id }))}
                        value={location}
                        onChange={setLocation}
                      />
                      <Button submit>Receive</Button>
                    </InlineStack>
                  )}
                </BlockStack>
              </Form>
            </Card>
            {v.status === "awaiting_match" && (
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Candidate orders
                  </Text>
                  {v.candidates.length === 0 && <Text as="p">No order looks like this parcel's. It waits in the exception queue.</Text>}
                  {v.candidates.map((c) => (
                    <Form method="post" key={c.orderId}>
                      <input type="hidden" name="intent" value="match" />
                      <input type="hidden" name="version" value={v.version} />
                      <input type="hidden" name="orderId" value={c.orderId} />
                      <InlineStack gap="300" blockAlign="center">
                        <Text as="span" fontWeight="semibold">
                          {c.orderName} (score {c.score})
                        </Text>
                        <Text as="span">{c.explanation}</Text>
                        <Button submit>This is the order</Button>
                      </InlineStack>
                    </Form>
                  ))}
                </BlockStack>
              </Card>
            )}
            {v.orderId && v.status !== "requested" && v.status !== "declined" && (
              <Card>
                <Form method="post">
                  <input type="hidden" name="intent" value="refund" />
                  <input type="hidden" name="key" value={v.refundKey} />
                  <input type="hidden" name="currency" value={v.currency ?? "USD"} />
                  <BlockStack gap="300">
                    <Text as="h2" variant="headingMd">
                      Refund
                    </Text>
                    <Text as="p" tone="subdued">
                      Never more than was captured minus what is already refunded and the exchange items sent in place of returned goods; Shopify gets the
                      request with an idempotency key.
                    </Text>
                    {v.lines.map((l) => (
                      <InlineStack key={l.id} gap="200" blockAlign="center">
                        <input
                          type="number"
                          min={0}
                          max={l.quantity}
                          defaultValue={l.restocked + l.damaged + l.qualityControl}
                          name={`refundqty:${l.id}`}
                          aria-label={`refund ${l.sku}`}
                          style={{ width: 60 }}
                        />
                        <Text as="span">
                          × {l.sku} at {l.unitPrice}
                        </Text>
                      </InlineStack>
                    ))}
                    <InlineStack gap="300">
                      <Field label="Restocking fee (%)" type="number" name="restockingFeePercent" defaultValue={String(v.restockingFeePercent)} />
                      <Field label="Shipping refund" name="shipping" placeholder="0.00" />
                      <Field label="As store credit" name="storeCredit" placeholder="0.00" />
                    </InlineStack>
                    <Field label="Note" name="note" />
                    <Button submit variant="primary">
                      Refund
                    </Button>
                  </BlockStack>
                </Form>
              </Card>
            )}
            {v.refunds.length > 0 && (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Refunds on this order
                  </Text>
                  {v.refunds.map((f) => (
                    <Text as="p" key={f.id}>
                      {new Date(f.at).toLocaleString()} · {f.amount} {f.storeCredit ? `(store credit ${f.storeCredit})` : ""} · {f.status} · {f.actor}
                      {f.error ? ` · ${f.error}` : ""}
                    </Text>
                  ))}
                </BlockStack>
              </Card>
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
