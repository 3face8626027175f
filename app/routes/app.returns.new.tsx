// "Offer a return" for an order (/app/returns/new?order=<OMS order id>): the order's shipped units
// and how many of each can still come back; staff choose quantities, a reason, fees and an exchange.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, InlineStack, Layout, Page, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import { Field } from "~/components/returns/Field";
import { z } from "zod";
import { parseMoney } from "~/domain/shared/money";
import { requestReturn } from "~/.server/services/returns/request-return";
import { newReturnView } from "~/.server/services/returns/returns-views";
import { requireStaffAction } from "~/.server/services/staff/require-staff-action";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const orderId = new URL(request.url).searchParams.get("order");
  const view = orderId ? await newReturnView(session.shop, orderId) : null;
  if (!view) throw new Response("No such order", { status: 404 });
  return view;
}

const int = (max: number) => z.coerce.number().int().min(0).max(max);
const formSchema = z.object({
  orderId: z.string().min(1),
  reason: z.string().trim().max(255).optional(),
  approveNow: z.literal("on").optional(),
  restockingFeePercent: int(100).default(0),
  shippingFee: z
    .string()
    .trim()
    .regex(/^\d*(\.\d{1,2})?$/)
    .optional(),
  exchangeSku: z.string().trim().max(100).optional(),
  exchangeQuantity: int(100).default(0),
  exchangePolicy: z.enum(["on_request", "on_receipt"]).default("on_receipt"),
  instructions: z.string().trim().max(500).optional(),
  currency: z.string().length(3),
});

export async function action({ request }: ActionFunctionArgs) {
  const { staff } = await requireStaffAction(request, "order.return");
  const form = await request.formData();
  const parsed = formSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, message: "Check the form: fees are whole percentages and amounts like 5.00." };
  const f = parsed.data;
  const lines = [...form.entries()].filter(([k]) => k.startsWith("qty:")).map(([k, v]) => ({ fulfillmentLineItemId: k.slice(4), quantity: Number(v) || 0 }));
  const fee = f.shippingFee ? parseMoney(f.shippingFee, f.currency) : null;
  const result = await requestReturn(
    {
      shop: staff.shop,
      orderId: f.orderId,
      lines,
      approveNow: f.approveNow === "on" || Boolean(f.exchangeSku && f.exchangeQuantity),
      reason: f.reason || null,
      restockingFeePercent: f.restockingFeePercent,
      shippingFeeMinor: fee?.ok ? fee.value.amount : 0n,
      exchange: f.exchangeSku && f.exchangeQuantity ? [{ sku: f.exchangeSku, quantity: f.exchangeQuantity }] : [],
      exchangePolicy: f.exchangePolicy,
      instructions: f.instructions || null,
      actor: staff.actor,
    },
    new Date(),
  );
  if (!result.ok) return { ok: false, message: "message" in result.error ? result.error.message : "No such order." };
  return redirect(`/app/returns/${result.value.returnId}`);
}

export default function NewReturn() {
  const v = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [approveNow, setApproveNow] = useState(false);
  const [policy, setPolicy] = useState("on_receipt");
  return (
    <Page title={`Return for ${v.orderName}`} backAction={{ url: `/app/orders/${v.orderId}` }}>
      <Layout>
        <Layout.Section>
          <Form method="post">
            <input type="hidden" name="orderId" value={v.orderId} />
            <input type="hidden" name="currency" value={v.currency} />
            <BlockStack gap="400">
              {result && !result.ok && <Banner tone="critical">{result.message}</Banner>}
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Shipped units
                  </Text>
                  {v.units.length === 0 && <Text as="p">Nothing has shipped yet: only fulfilled units can be returned.</Text>}
                  {v.units.map((u) => (
                    <InlineStack key={u.fulfillmentLineItemId} gap="300" blockAlign="center">
                      <div style={{ width: 90 }}>
                        <Field
                          label={`Return ${u.sku ?? u.title}`}
                          type="number"
                          name={`qty:${u.fulfillmentLineItemId}`}
                          min={0}
                          max={u.returnable}
                          defaultValue="0"
                        />
                      </div>
                      <Text as="span">
                        {u.sku} · {u.title} · {u.unitPrice} · shipped {u.shipped}, returnable {u.returnable}
                      </Text>
                    </InlineStack>
                  ))}
                  {v.unshipped.length > 0 && (
                    <Text as="p" tone="subdued">
                      Not shipped (cannot be returned): {v.unshipped.map((u) => `${u.quantity} × ${u.sku ?? u.title}`).join(", ")}
                    </Text>
                  )}
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="300">
                  <Field label="Reason" name="reason" />
                  <InlineStack gap="300">
                    <Field label="Restocking fee (%)" type="number" name="restockingFeePercent" min={0} max={100} defaultValue="0" />
                    <Field label={`Return shipping fee (${v.currency})`} name="shippingFee" placeholder="0.00" />
                  </InlineStack>
                  <Field label="Label or instructions for the customer" name="instructions" />
                  <Checkbox label="Approve now (otherwise it waits as requested)" checked={approveNow} onChange={setApproveNow} name="approveNow" value="on" />
                  {approveNow && <input type="hidden" name="approveNow" value="on" />}
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Exchange (optional)
                  </Text>
                  <InlineStack gap="300">
                    <Field label="New item SKU" name="exchangeSku" />
                    <Field label="Quantity" type="number" name="exchangeQuantity" min={0} defaultValue="0" />
                    <Select
                      label="Ships"
                      name="exchangePolicy"
                      options={[
                        { label: "on receipt of the returned item", value: "on_receipt" },
                        { label: "now (on request)", value: "on_request" },
                      ]}
                      value={policy}
                      onChange={setPolicy}
                    />
                  </InlineStack>
                  <Text as="p" tone="subdued">
                    Exchange items are reserved and sourced like any order; Shopify holds them until released.
                  </Text>
                </BlockStack>
              </Card>
              <InlineStack gap="300">
                <Button submit variant="primary">
                  Create return
                </Button>
                <Link to={`/app/orders/${v.orderId}`}>Cancel</Link>
              </InlineStack>
            </BlockStack>
          </Form>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
