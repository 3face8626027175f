import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Card, DataTable, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { orderDetailView } from "~/.server/services/order-views";
import { dryRunOrder } from "~/.server/services/route-order";
import { sourcingView } from "~/.server/services/sourcing-views";
import { SourcingCard } from "~/components/SourcingCard";
import { PromiseCard } from "~/components/PromiseCard";
import { orderPromiseView } from "~/.server/services/promise/promise-views";
import { StateBadge } from "~/components/StateBadge";
import { authenticate } from "~/shopify.server";
import { ChangesCard, type ChangeResult } from "~/components/changes/ChangesCard";
import { orderChangesView } from "~/.server/services/changes/change-views";
import { changeSchema, runOrderChange } from "~/.server/services/changes/order-change-action";
import { requireStaffAction, staffCapabilities } from "~/.server/services/staff/require-staff-action";
import { releaseHeldOrder } from "~/.server/services/release/release-held-order";
import { HoldCard } from "~/components/HoldCard";
import { STAFF_ACTION_OF } from "~/schemas/order-changes";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session, can, staff } = await staffCapabilities(request);
  const order = await orderDetailView(session.shop, params.id ?? "");
  if (!order) throw new Response("Order not found", { status: 404 });
  const [sourcing, changes, promise] = await Promise.all([
    sourcingView(session.shop, order.id),
    orderChangesView(session.shop, order.id),
    orderPromiseView(session.shop, order.id),
  ]);
  return { ...order, sourcing, changes, promise, can, you: staff };
}

/**
 * Release a held order, the dry run (what the active rule set would decide now, never applied), and
 * the changes after purchase: each through requireStaffAction with its own action name (a 403 before
 * anything changes for a role without it), the staff member recorded.
 */
export async function action({ request, params }: ActionFunctionArgs): Promise<ChangeResult | { error: string | null; message?: string }> {
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "release") {
    const { session, staff } = await requireStaffAction(request, "order.release");
    const r = await releaseHeldOrder(session.shop, params.id ?? "", staff, String(form.note ?? "").slice(0, 500), new Date());
    if (r.ok) return { error: null, message: `Order ${r.value.name} released; it goes on to sourcing.` };
    return {
      error:
        r.error.code === "NOT_HELD_FOR_A_PERSON"
          ? `The order is ${r.error.state}, not held for a person's decision.`
          : r.error.code === "CHANGED_MEANWHILE"
            ? "Someone changed the order meanwhile; reload."
            : "Order not found.",
    };
  }
  if (form.intent === "dry-run") {
    const { session } = await authenticate.admin(request);
    const result = await dryRunOrder(session.shop, params.id ?? "", new Date());
    if (!result) return { error: "Nothing to source: the order has no open fulfilment lines." };
    return result.ok ? { error: null } : { error: `The engine refused the request: ${result.error.code}` };
  }
  const parsed = changeSchema.safeParse(form);
  if (!parsed.success) return { error: "The form could not be read; reload the page and try again." };
  const { staff } = await requireStaffAction(request, STAFF_ACTION_OF[parsed.data.intent]);
  return runOrderChange(staff, params.id ?? "", parsed.data, new Date());
}

export default function OrderPage() {
  const o = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const address = o.shippingAddress;
  return (
    <Page
      backAction={{ content: "Orders", url: "/app/orders" }}
      title={o.name}
      titleMetadata={<StateBadge state={o.state} />}
      subtitle={`${o.channel.replace("_", " ")} · placed ${new Date(o.placedAt).toLocaleString()}`}
      secondaryActions={[{ content: "Offer a return", url: `/app/returns/new?order=${o.id}` }]}
    >
      <Layout>
        {o.state === "on_hold" && o.holdReason ? (
          <Layout.Section>
            <HoldCard
              holdRule={o.holdRule}
              holdReason={o.holdReason}
              releaseAfter={o.releaseAfter}
              release={o.can["order.release"]}
              cancel={o.can["order.cancel"]}
              you={o.you}
            />
          </Layout.Section>
        ) : null}
        {o.exception ? (
          <Layout.Section>
            <Banner tone="critical" title={`Exception: ${o.exception}`}>
              <p>See the timeline for what was reported and why it was not applied.</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Lines
                </Text>
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "numeric"]}
                  headings={["SKU", "Item", "Quantity", "Unit price"]}
                  rows={o.lines.map((l) => [
                    l.sku ?? "—",
                    l.title,
                    l.currentQuantity === l.quantity ? l.quantity : `${l.currentQuantity} of ${l.quantity}`,
                    l.unitPrice,
                  ])}
                />
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Fulfillment groups
                </Text>
                {o.groups.length === 0 ? (
                  <Text as="p" tone="subdued">
                    No fulfillment orders yet.
                  </Text>
                ) : (
                  <DataTable
                    columnContentTypes={["text", "text", "text"]}
                    headings={["Location", "Status", "Lines"]}
                    rows={o.groups.map((g) => [
                      g.locationName ?? "—",
                      g.status.toLowerCase().replace("_", " "),
                      g.lines.map((l) => `${l.sku ?? "?"} × ${l.quantity}${l.remaining !== l.quantity ? ` (${l.remaining} left)` : ""}`).join(", "),
                    ])}
                  />
                )}
              </BlockStack>
            </Card>
            {o.changes ? <ChangesCard view={o.changes} result={result && ("status" in result || result.error) ? (result as ChangeResult) : undefined} /> : null}
            <SourcingCard view={o.sourcing} />
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Timeline
                </Text>
                <BlockStack gap="300">
                  {o.timeline.map((e) => (
                    <div key={e.id} data-testid="timeline-entry" style={{ borderLeft: "2px solid #e3e3e3", paddingLeft: 12 }}>
                      <InlineStack gap="200" blockAlign="center">
                        <Text as="span" fontWeight="semibold">
                          {e.summary}
                        </Text>
                      </InlineStack>
                      <Text as="p" tone="subdued" variant="bodySm">
                        {new Date(e.at).toLocaleString()} · {e.actor} · source {e.source}
                        {e.owner ? ` · owner ${e.owner}` : ""}
                      </Text>
                    </div>
                  ))}
                </BlockStack>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <PromiseCard promise={o.promise} />
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Summary
                </Text>
                <InlineGrid columns={2} gap="100">
                  <Text as="span" tone="subdued">
                    Total
                  </Text>
                  <Text as="span">{o.total}</Text>
                  <Text as="span" tone="subdued">
                    Payment
                  </Text>
                  <Text as="span">{o.financialStatus ?? "—"}</Text>
                  <Text as="span" tone="subdued">
                    Kind
                  </Text>
                  <Text as="span">{(o.orderKind ?? "—").replace("_", " ")}</Text>
                  <Text as="span" tone="subdued">
                    Shopify risk
                  </Text>
                  <Text as="span">{o.riskLevel?.toLowerCase() ?? "—"}</Text>
                  <Text as="span" tone="subdued">
                    Fulfillment
                  </Text>
                  <Text as="span">{o.fulfillmentStatus ?? "unfulfilled"}</Text>
                  {o.holdReason ? (
                    <>
                      <Text as="span" tone="subdued">
                        Held
                      </Text>
                      <Text as="span">{o.holdReason}</Text>
                    </>
                  ) : null}
                </InlineGrid>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="100">
                <Text as="h2" variant="headingMd">
                  Customer
                </Text>
                {o.amazon ? (
                  <>
                    {"shown" in o.amazon.buyerName ? (
                      <Text as="p">{o.amazon.buyerName.shown}</Text>
                    ) : (
                      <Text as="p" tone="subdued">
                        Buyer name {o.amazon.buyerName.hidden}
                      </Text>
                    )}
                    {"shown" in o.amazon.buyerEmail ? (
                      <Text as="p" tone="subdued">
                        {o.amazon.buyerEmail.shown}
                      </Text>
                    ) : (
                      <Text as="p" tone="subdued">
                        Buyer email {o.amazon.buyerEmail.hidden}
                      </Text>
                    )}
                    {"shown" in o.amazon.address ? (
                      <Text as="p">{o.amazon.address.shown}</Text>
                    ) : (
                      <Text as="p" tone="subdued">
                        Shipping address {o.amazon.address.hidden}
                        {o.amazon.region ? ` (ships to ${o.amazon.region})` : ""}
                      </Text>
                    )}
                  </>
                ) : (
                  <>
                    <Text as="p">{o.customerName ?? "—"}</Text>
                    <Text as="p" tone="subdued">
                      {o.email ?? "no email"}
                    </Text>
                  </>
                )}
                {o.amazon ? null : address ? (
                  <Text as="p">
                    {[address.address1, address.address2, address.city, address.provinceCode, address.zip, address.countryCode].filter(Boolean).join(", ")}
                  </Text>
                ) : (
                  <Text as="p" tone="subdued">
                    No shipping address
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
