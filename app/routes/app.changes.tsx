import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, Checkbox, DataTable, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { changesPageView, deleteSubstituteRule, editChangePolicy, saveSubstituteRule } from "~/.server/services/changes/changes-admin";
import { bringLocationOnline, takeLocationOffline } from "~/.server/services/changes/location-offline";
import { requireStaffAction } from "~/.server/services/staff/require-staff-action";
import { LOCATION_KINDS } from "~/domain/changes/policy";
import type { StaffAction } from "~/domain/staff/actions";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const preview = new URL(request.url).searchParams.get("preview");
  return changesPageView(session.shop, preview, new Date());
}

const cutoff = z.enum(["routed", "in_progress"]);
const schema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("policy"),
    warehouse: cutoff,
    store: cutoff,
    dropship: cutoff,
    pickup: cutoff,
    restock: z.literal("on").optional(),
    refund: z.literal("on").optional(),
  }),
  z.object({ intent: z.literal("offline"), locationId: z.string().startsWith("gid://shopify/Location/"), reason: z.string().trim().max(200).default("") }),
  z.object({ intent: z.literal("online"), locationId: z.string().startsWith("gid://shopify/Location/") }),
  z.object({
    intent: z.literal("substitute-add"),
    variantId: z.string().startsWith("gid://shopify/ProductVariant/"),
    substituteVariantId: z.string().startsWith("gid://shopify/ProductVariant/"),
    priority: z.coerce.number().int().min(0).max(99),
  }),
  z.object({ intent: z.literal("substitute-remove"), id: z.string().min(1) }),
]);
const ACTION_OF = {
  policy: "settings.edit",
  offline: "order.change_location",
  online: "order.change_location",
  "substitute-add": "rules.edit",
  "substitute-remove": "rules.edit",
} as const satisfies Record<z.infer<typeof schema>["intent"], StaffAction>;

type Result = { ok: boolean; message: string };

export async function action({ request }: ActionFunctionArgs): Promise<Result> {
  const parsed = schema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { ok: false, message: `The form could not be read: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}` };
  const f = parsed.data;
  const { staff } = await requireStaffAction(request, ACTION_OF[f.intent]);
  const now = new Date();
  switch (f.intent) {
    case "policy": {
      const r = await editChangePolicy(
        staff.shop,
        {
          cancelUntil: { warehouse: f.warehouse, store: f.store, dropship: f.dropship, pickup: f.pickup },
          restock: f.restock === "on",
          refund: f.refund === "on",
        },
        staff.actor,
        now,
      );
      return r.ok ? { ok: true, message: "Cancellation cut-offs saved." } : { ok: false, message: `Not saved: ${r.error.kind} has no such cut-off.` };
    }
    case "offline": {
      const r = await takeLocationOffline(staff, f.locationId, f.reason || "marked offline", now);
      return {
        ok: true,
        message: `${r.location} is offline: ${r.orders} order(s) re-sourced, ${r.applied} moved.${r.results.some((x) => x.error) ? ` Not moved: ${r.results.filter((x) => x.error).length} (see their timelines).` : ""}`,
      };
    }
    case "online":
      return (await bringLocationOnline(staff, f.locationId, now))
        ? { ok: true, message: "The location is back online." }
        : { ok: true, message: "The location was already online." };
    case "substitute-add":
      await saveSubstituteRule(staff.shop, { variantId: f.variantId, substituteVariantId: f.substituteVariantId, priority: f.priority }, staff.actor, now);
      return { ok: true, message: "Substitute saved." };
    case "substitute-remove":
      await deleteSubstituteRule(staff.shop, f.id, staff.actor, now);
      return { ok: true, message: "Substitute removed." };
  }
}

const CUTOFF_OPTIONS = [
  { label: "until routed (no cancel once picking started)", value: "routed" },
  { label: "while picking (until shipped)", value: "in_progress" },
];

export default function Changes() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const [policy, setPolicy] = useState(data.policy);
  const [sub, setSub] = useState({ variantId: "", substituteVariantId: "", priority: "0" });
  return (
    <Page title="Changes after purchase" subtitle="Cancellation cut-offs per kind of location, locations going offline, and substitutes">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result ? <Banner tone={result.ok ? "success" : "critical"} title={result.message} /> : null}
            <Card>
              <Form method="post">
                <input type="hidden" name="intent" value="policy" />
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Cancellation cut-offs
                  </Text>
                  <Text as="p" tone="subdued">
                    Until when staff may cancel, by the kind of location the order ships from. After a cut-off, or once anything has shipped, a cancel is
                    refused and offered as a return.
                  </Text>
                  {LOCATION_KINDS.map((k) => (
                    <Select
                      key={k}
                      label={`${k.charAt(0).toUpperCase()}${k.slice(1)}s: cancel`}
                      name={k}
                      options={CUTOFF_OPTIONS}
                      value={policy.cancelUntil[k]}
                      onChange={(v) => setPolicy({ ...policy, cancelUntil: { ...policy.cancelUntil, [k]: v as "routed" | "in_progress" } })}
                    />
                  ))}
                  <Checkbox label="Restock cancelled units" checked={policy.restock} onChange={(v) => setPolicy({ ...policy, restock: v })} />
                  <input type="hidden" name={policy.restock ? "restock" : "_restock"} value="on" />
                  <Checkbox label="Refund cancelled orders" checked={policy.refund} onChange={(v) => setPolicy({ ...policy, refund: v })} />
                  <input type="hidden" name={policy.refund ? "refund" : "_refund"} value="on" />
                  <InlineStack>
                    <Button submit variant="primary" loading={nav.state === "submitting" && nav.formData?.get("intent") === "policy"}>
                      Save cut-offs
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Form>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Locations
                </Text>
                <Text as="p" tone="subdued">
                  A location that goes offline takes no new work; its open, unpicked fulfilment orders are sourced again in one action. Preview where each would
                  go first.
                </Text>
                {data.locations.map((l) => (
                  <InlineStack key={l.id} gap="300" blockAlign="center" align="space-between">
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="span" fontWeight="semibold">
                        {l.name}
                      </Text>
                      {l.offline ? <Badge tone="critical">{`Offline${l.reason ? `: ${l.reason}` : ""}`}</Badge> : <Badge tone="success">Online</Badge>}
                    </InlineStack>
                    <InlineStack gap="200">
                      {l.offline ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="online" />
                          <input type="hidden" name="locationId" value={l.id} />
                          <Button submit>Back online</Button>
                        </Form>
                      ) : (
                        <>
                          <Button url={`/app/changes?preview=${encodeURIComponent(l.id)}`}>Preview offline</Button>
                          <Form method="post">
                            <input type="hidden" name="intent" value="offline" />
                            <input type="hidden" name="locationId" value={l.id} />
                            <input type="hidden" name="reason" value="closed today" />
                            <Button submit tone="critical">
                              Take offline and re-source
                            </Button>
                          </Form>
                        </>
                      )}
                    </InlineStack>
                  </InlineStack>
                ))}
                {data.preview ? (
                  <BlockStack gap="200">
                    <Text as="h3" variant="headingSm">
                      {`If ${data.locations.find((l) => l.id === data.preview!.locationId)?.name ?? "it"} went offline now`}
                    </Text>
                    {data.preview.rows.length === 0 ? (
                      <Text as="p" tone="subdued">
                        No open, unpicked fulfilment orders there.
                      </Text>
                    ) : (
                      <DataTable
                        columnContentTypes={["text", "text", "text"]}
                        headings={["Order", "Goes to", "Waits for stock"]}
                        rows={data.preview.rows.map((r) => [
                          r.orderName,
                          r.error ? `not sourceable: ${r.error}` : r.moves.map((m) => `${m.quantity} × ${m.sku} → ${m.to}`).join(", ") || "—",
                          r.waiting.map((w) => `${w.quantity} × ${w.sku}`).join(", ") || "—",
                        ])}
                      />
                    )}
                  </BlockStack>
                ) : null}
              </BlockStack>
            </Card>
            <Card>
              <Form method="post">
                <input type="hidden" name="intent" value="substitute-add" />
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Substitutes
                  </Text>
                  <Text as="p" tone="subdued">
                    Offered first when a line can no longer be sourced (then the product&apos;s other variants). The customer must agree; the price difference
                    is refunded or collected.
                  </Text>
                  <InlineStack gap="200" wrap={false}>
                    <TextField
                      label="Variant (GID)"
                      name="variantId"
                      autoComplete="off"
                      value={sub.variantId}
                      onChange={(v) => setSub({ ...sub, variantId: v })}
                    />
                    <TextField
                      label="Substitute (GID)"
                      name="substituteVariantId"
                      autoComplete="off"
                      value={sub.substituteVariantId}
                      onChange={(v) => setSub({ ...sub, substituteVariantId: v })}
                    />
                    <TextField
                      label="Priority"
                      name="priority"
                      type="number"
                      autoComplete="off"
                      value={sub.priority}
                      onChange={(v) => setSub({ ...sub, priority: v })}
                    />
                  </InlineStack>
                  <InlineStack>
                    <Button submit>Add substitute</Button>
                  </InlineStack>
                  {data.substitutes.length ? (
                    <DataTable
                      columnContentTypes={["text", "text", "numeric"]}
                      headings={["Variant", "Substitute", "Priority"]}
                      rows={data.substitutes.map((s) => [s.variantId, s.substituteVariantId, s.priority])}
                    />
                  ) : null}
                </BlockStack>
              </Form>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Audit
              </Text>
              {data.audit.length === 0 ? (
                <Text as="p" tone="subdued">
                  No changes yet.
                </Text>
              ) : (
                data.audit.map((a) => (
                  <Text key={a.id} as="p" variant="bodySm">
                    {`${new Date(a.at).toLocaleString()} · ${a.actor} · ${a.summary}`}
                  </Text>
                ))
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
