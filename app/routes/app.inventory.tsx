import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Layout, Page } from "@shopify/polaris";
import { z } from "zod";
import { setSafetyStock, setStaleFeedPolicy } from "~/.server/services/inventory-settings";
import { editSafetyStock, inventoryPageView, requestInventoryReconcile, type SafetyStockFormError } from "~/.server/services/inventory-views";
import { DriftCard, AuditCard } from "~/components/inventory/DriftCard";
import type { ActionResult } from "~/components/inventory/format";
import { LevelFilters } from "~/components/inventory/LevelFilters";
import { ChannelSummary, LevelsTable } from "~/components/inventory/LevelsTable";
import { PolicyCard } from "~/components/inventory/PolicyCard";
import { SafetyStockCard } from "~/components/inventory/SafetyStockCard";
import { authenticate } from "~/shopify.server";
import { requireStaffAction } from "~/.server/services/staff/require-staff-action";

const optional = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();
const flag = z
  .string()
  .optional()
  .transform((v) => v === "1" || v === "on" || v === "true");

/** The page's query string, parsed once at the edge. */
const filtersSchema = z.object({
  sku: optional,
  match: z.enum(["contains", "prefix"]).optional().catch(undefined),
  location: optional,
  stale: flag,
  zero: flag,
  after: optional,
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const f = filtersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return inventoryPageView(session.shop, { sku: f.sku, skuMatch: f.match, location: f.location, stale: f.stale, zeroAtp: f.zero, after: f.after }, new Date());
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("policy"), staleFeed: z.enum(["fail_open", "fail_closed"]), staleAfterMinutes: z.coerce.number() }),
  z.object({
    intent: z.literal("safety-stock"),
    scope: z.enum(["shop", "location", "item", "item_location"]),
    locationId: optional,
    sku: optional,
    // Any number reaches the service, which owns the rule (whole, 0–1,000,000); blank is not zero.
    quantity: z.string().trim().min(1).transform(Number),
  }),
  z.object({ intent: z.literal("remove-rule"), locationId: z.string().default(""), inventoryItemId: z.string().default("") }),
  z.object({ intent: z.literal("reconcile") }),
]);

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult> {
  // Every intent here changes stock settings or starts a reconcile: the role must allow it.
  const { session, staff } = await requireStaffAction(request, "inventory.edit");
  const actor = staff.actor;
  const now = new Date();
  const raw = Object.fromEntries(await request.formData());
  const form = actionSchema.safeParse(raw);
  if (!form.success) {
    return raw.intent === "safety-stock"
      ? { form: "safety-stock", ok: false, code: "INVALID_QUANTITY", message: SAFETY_MESSAGES.INVALID_QUANTITY }
      : { form: "policy", ok: false, code: "INVALID_FORM", message: "Choose fail-open or fail-closed and a number of minutes." };
  }
  const f = form.data;
  switch (f.intent) {
    case "policy": {
      const r = await setStaleFeedPolicy(session.shop, { staleFeed: f.staleFeed, staleAfterMinutes: f.staleAfterMinutes }, actor, now);
      return r.ok
        ? { form: "policy", ok: true, message: "Stale-feed policy saved; ATP is being re-pushed to Shopify." }
        : { form: "policy", ok: false, code: r.error.code, message: "Stale after must be a whole number of minutes from 1 to 10,080 (7 days)." };
    }
    case "safety-stock": {
      const r = await editSafetyStock(session.shop, { scope: f.scope, locationId: f.locationId, sku: f.sku, quantity: f.quantity }, actor, now);
      return r.ok
        ? { form: "safety-stock", ok: true, message: `Safety stock set to ${f.quantity}; ${changed(r.value.levelsChanged)}.` }
        : { form: "safety-stock", ok: false, code: r.error.code, message: safetyMessage(r.error) };
    }
    case "remove-rule": {
      const r = await setSafetyStock(session.shop, { locationId: f.locationId, inventoryItemId: f.inventoryItemId, quantity: null }, actor, now);
      return r.ok
        ? { form: "safety-stock", ok: true, message: `Rule removed; ${changed(r.value.levelsChanged)}.` }
        : { form: "safety-stock", ok: false, code: r.error.code, message: safetyMessage(r.error) };
    }
    case "reconcile":
      await requestInventoryReconcile(session.shop, now);
      return { form: "reconcile", ok: true, message: "Reconcile queued: levels are re-read from Shopify, ATP pushed and drift re-checked." };
  }
}

const changed = (n: number) =>
  n === 0 ? "no level's safety stock changed" : n === 1 ? "1 level updated and queued for push" : `${n} levels updated and queued for push`;

const SAFETY_MESSAGES = {
  INVALID_QUANTITY: "Quantity must be a whole number from 0 to 1,000,000.",
  LOCATION_REQUIRED: "Choose a location for this scope.",
  SKU_REQUIRED: "Enter the SKU of the item.",
};

function safetyMessage(e: SafetyStockFormError): string {
  switch (e.code) {
    case "UNKNOWN_LOCATION":
      return `Unknown location (${e.locationId}): it is not one of this shop's locations. Reconcile to refresh the list.`;
    case "UNKNOWN_SKU":
      return `Unknown SKU "${e.sku}": no inventory level of this shop has that SKU.`;
    case "AMBIGUOUS_SKU":
      return `SKU "${e.sku}" belongs to ${e.items} different items; fix the duplicate SKU in Shopify first.`;
    default:
      return SAFETY_MESSAGES[e.code];
  }
}

export default function Inventory() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submit = useSubmit();
  const navigation = useNavigation();
  const reconciling = navigation.state === "submitting" && navigation.formData?.get("intent") === "reconcile";
  return (
    <Page
      fullWidth
      title="Inventory"
      subtitle="Available to promise per item and location, safety stock and drift"
      primaryAction={{ content: "Reconcile now", loading: reconciling, onAction: () => submit({ intent: "reconcile" }, { method: "post" }) }}
    >
      <Layout>
        {result?.form === "reconcile" ? (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <PolicyCard policy={data.policy} result={result?.form === "policy" ? result : undefined} />
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="400">
            <LevelFilters locations={data.locations} />
            <LevelsTable levels={data.levels} next={data.next} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="400">
            <SafetyStockCard rules={data.rules} locations={data.locations} result={result?.form === "safety-stock" ? result : undefined} />
            <DriftCard drift={data.drift} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <ChannelSummary channels={data.channels} />
            <AuditCard audit={data.audit} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
