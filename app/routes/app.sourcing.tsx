import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BlockStack, Layout, Page } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import {
  activateVersion,
  checkDraft,
  editLocationProfile,
  saveDraft,
  sourcingPageView,
  startWhatIf,
  whatIfRun,
  type DraftForm,
} from "~/.server/services/sourcing-admin";
import type { Rule } from "~/domain/sourcing/types";
import { AuditList } from "~/components/sourcing/AuditList";
import type { ActionResult } from "~/components/sourcing/format";
import { KpiCard } from "~/components/sourcing/KpiCard";
import { LocationProfilesCard } from "~/components/sourcing/LocationProfilesCard";
import { activateErrorMessages, profileErrorMessage, ruleSetErrorMessage } from "~/components/sourcing/messages";
import { RuleSetEditor } from "~/components/sourcing/RuleSetEditor";
import { VersionsCard } from "~/components/sourcing/VersionsCard";
import { WhatIfCard } from "~/components/sourcing/WhatIfCard";
import { authenticate } from "~/shopify.server";
import { requireStaffAction } from "~/.server/services/staff/require-staff-action";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const window = z
    .enum(["24h", "7d", "30d"])
    .catch("7d")
    .parse(new URL(request.url).searchParams.get("window") ?? undefined);
  const [page, whatIf] = await Promise.all([sourcingPageView(session.shop, window, new Date()), whatIfRun(session.shop)]);
  return { ...page, whatIf };
}

const text = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || undefined);
// A blank or non-numeric count arrives as NaN (JSON turns NaN into null): the rule set's own validation names it.
const count = z
  .number()
  .nullable()
  .transform((v) => v ?? Number.NaN);
const ruleSchema = z.union([
  z.object({ type: z.literal("exclude"), locationId: text, locationTag: text, whenProductTag: text }),
  // Any other type reaches validateRuleSet, which reports a type it does not know.
  z.object({ type: z.string() }).transform((r) => r as Rule),
]);
const draftSchema = z.object({
  name: z.string().max(120),
  rules: z.array(ruleSchema).max(30),
  split: z.object({ allow: z.boolean(), maxShipments: count, minValue: z.string().max(30) }),
  backorder: z.object({ mode: z.enum(["hold_order", "ship_available", "wait_days"]), waitDays: count.optional() }),
});
const definition = z.string().transform((s, ctx) => {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    ctx.addIssue({ code: "custom", message: "not JSON" });
    return z.NEVER;
  }
});
const whole = z
  .string()
  .trim()
  .transform((v) => (v === "" ? Number.NaN : Number(v)));

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("validate"), definition: definition.pipe(draftSchema) }),
  z.object({ intent: z.literal("save-draft"), definition: definition.pipe(draftSchema) }),
  z.object({ intent: z.literal("activate"), version: z.coerce.number().int() }),
  z.object({
    intent: z.literal("profile"),
    locationId: z.string(),
    kind: z.string(),
    priority: whole,
    dailyCapacity: z
      .string()
      .trim()
      .transform((v) => (v === "" ? null : Number(v))),
    handlingCost: z.string().max(30),
    costPerKm: z.string().max(30),
    tags: z.string().max(500).default(""),
    servesCountries: z.string().max(500).default(""),
    shipDays: z.string().max(100).default(""),
    cutoff: z.string().max(10).default(""),
    timeZone: z.string().max(64).default(""),
    closedDates: z.string().max(2000).default(""),
  }),
  z.object({
    intent: z.literal("simulate"),
    version: z.coerce.number().int(),
    orders: z
      .string()
      .trim()
      .default("")
      .transform((v) => (v === "" ? 50 : Number(v)))
      .pipe(z.number().int().min(1).max(500)),
  }),
]);

const FORM_OF = { validate: "draft", "save-draft": "draft", activate: "versions", profile: "profile", simulate: "simulate" } as const;

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult> {
  // Validating a draft and the what-if change nothing; saving, activating and profiles need the role.
  const intent = (await request.clone().formData()).get("intent");
  const changes = intent === "save-draft" || intent === "activate" || intent === "profile";
  const { session, staff } = changes ? await requireStaffAction(request, "rules.edit") : { ...(await authenticate.admin(request)), staff: null };
  const actor = staff?.actor ?? "user:unknown";
  const now = new Date();
  const shop = session.shop;
  const raw = Object.fromEntries(await request.formData());
  const parsed = actionSchema.safeParse(raw);
  if (!parsed.success) {
    const form = FORM_OF[String(raw.intent) as keyof typeof FORM_OF] ?? "draft";
    return {
      form,
      ok: false,
      message: form === "simulate" ? "Choose a version and a number of orders from 1 to 500." : "The form could not be read; reload the page and try again.",
      codes: ["INVALID_FORM"],
    };
  }
  const f = parsed.data;
  switch (f.intent) {
    case "validate":
    case "save-draft": {
      const draft = f.definition as DraftForm;
      const r = f.intent === "validate" ? await checkDraft(shop, draft) : await saveDraft(shop, draft, actor);
      if (!r.ok)
        return {
          form: "draft",
          ok: false,
          message: "The rule set has problems; nothing was saved.",
          errors: r.error.map((e) => ruleSetErrorMessage(e, draft.rules)),
          codes: r.error.map((e) => e.code),
        };
      return "version" in r.value
        ? { form: "draft", ok: true, message: `Saved as draft v${r.value.version}.`, version: r.value.version }
        : { form: "draft", ok: true, message: "The rule set is valid." };
    }
    case "activate": {
      const r = await activateVersion(shop, f.version, actor, now);
      return r.ok
        ? { form: "versions", ok: true, message: `v${f.version} is now the active rule set; the previous one is archived.`, version: f.version }
        : { form: "versions", ok: false, message: `v${f.version} was not activated.`, errors: activateErrorMessages(r.error), codes: [r.error.code] };
    }
    case "profile": {
      const { intent: _intent, ...profile } = f;
      const r = await editLocationProfile(shop, profile, actor, now);
      return r.ok
        ? { form: "profile", ok: true, message: `Profile of ${r.value.location} saved.`, locationId: f.locationId }
        : {
            form: "profile",
            ok: false,
            message: "The profile was not saved.",
            errors: r.error.map(profileErrorMessage),
            codes: r.error.map((e) => e.code),
            locationId: f.locationId,
          };
    }
    case "simulate": {
      // A job (it can take a while): the card follows its progress and shows the result when done.
      const r = await startWhatIf(shop, { version: f.version, orders: f.orders }, now);
      return r.ok
        ? { form: "simulate", ok: true, message: `What-if started over the last ${f.orders} orders.` }
        : { form: "simulate", ok: false, message: "That version does not exist.", codes: [r.error.code] };
    }
  }
}

export default function Sourcing() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // The editor opens on demand, from the active version (or the default) or from any saved version.
  const [editing, setEditing] = useState<{ key: number; from: string; form: DraftForm } | null>(null);
  return (
    <Page fullWidth title="Sourcing" subtitle="Which location ships each order: rule-set versions, location profiles, KPIs and a what-if">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <KpiCard kpis={data.kpis} window={data.window} />
            <VersionsCard
              versions={data.versions}
              result={result?.form === "versions" ? result : undefined}
              onNew={() => setEditing({ key: Date.now(), from: data.base.label, form: data.base.form })}
              onEdit={(v) => setEditing({ key: Date.now(), from: `v${v.version}`, form: v.form })}
            />
            {editing ? (
              <RuleSetEditor
                key={editing.key}
                from={editing.from}
                initial={editing.form}
                locations={data.locations}
                locationTags={data.locationTags}
                currency={data.currency}
                result={result?.form === "draft" ? result : undefined}
                onClose={() => setEditing(null)}
              />
            ) : null}
            <WhatIfCard versions={data.versions} run={data.whatIf} result={result?.form === "simulate" ? result : undefined} />
            <LocationProfilesCard locations={data.locations} currency={data.currency} result={result?.form === "profile" ? result : undefined} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <AuditList audit={data.audit} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
