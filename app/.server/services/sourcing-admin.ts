import { exponentOf, formatMoney, parseMoney } from "~/domain/shared/money";
import { err, ok, type Result } from "~/domain/shared/result";
import { describeCalendar, formatCutoff, formatShipDays, isValidTimeZone, parseClosedDates, parseCutoff, parseShipDays } from "~/domain/sourcing/calendar";
import { haversineKm } from "~/domain/sourcing/geo";
import { sourcingKpis } from "~/domain/sourcing/kpis";
import type { BackorderPolicy, Rule, RuleSet, SourcingPlan } from "~/domain/sourcing/types";
import { validateRuleSet, type RuleSetError } from "~/domain/sourcing/validate-rule-set";
import { findShop } from "../db/shops";
import { activeRuleSet, calendarOf, locationProfiles, type RuleSetDefinition } from "../db/sourcing";
import {
  activateDraftRuleSet,
  liveDecisionsSince,
  recentlyRoutedOrders,
  ruleSetVersion,
  ruleSetVersions,
  saveDraftRuleSet,
  saveLocationProfileAudited,
} from "../db/sourcing-admin";
import { auditEvents, stockLocations } from "../db/stock-settings";
import { jobs } from "../queue/definitions";
import { latestJobFor } from "../queue/job-progress";
import { enqueue } from "../queue/queues";
import { decideFor, DEFAULT_RULE_SET, loadSourcingInput, outcomeOf, type SourcingInput } from "./route-order";

// The sourcing admin page: rule-set versions (drafts, validation, activation), location profiles,
// KPIs over live decisions, and a read-only what-if that replays recent orders under a draft.

export const KPI_WINDOWS = { "24h": 24, "7d": 24 * 7, "30d": 24 * 30 } as const;
export type KpiWindow = keyof typeof KPI_WINDOWS;

const currencyOf = async (shop: string) => (await findShop(shop))?.currencyCode ?? "USD";
const money = (minor: number, currency: string) => formatMoney({ amount: BigInt(minor), currency });
const splitList = (s: string) =>
  s
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);

/** Money typed in the shop's currency ("12.50") to integer minor units; blank is zero. */
function toMinor(decimal: string, currency: string): number | null {
  if (!decimal.trim()) return 0;
  const m = parseMoney(decimal, currency);
  return m.ok && m.value.amount >= 0n ? Number(m.value.amount) : null;
}

/** The editor's form: a rule set with the minimum shipment value as typed, in the shop's currency. */
export type DraftForm = { name: string; rules: Rule[]; split: { allow: boolean; maxShipments: number; minValue: string }; backorder: BackorderPolicy };

export function toDraftForm(name: string, d: RuleSetDefinition, currency: string): DraftForm {
  return {
    name,
    rules: [...d.rules],
    split: { allow: d.split.allow, maxShipments: d.split.maxShipments, minValue: money(d.split.minValuePerShipmentMinor, currency) },
    backorder: d.backorder,
  };
}

export async function sourcingPageView(shop: string, window: KpiWindow, now: Date) {
  const [versions, locations, profiles, decisions, audit, currency] = await Promise.all([
    ruleSetVersions(shop),
    stockLocations(shop),
    locationProfiles(shop),
    liveDecisionsSince(shop, new Date(now.getTime() - KPI_WINDOWS[window] * 3_600_000)),
    auditEvents(shop, ["sourcing-rules", "location-profile"], 20),
    currencyOf(shop),
  ]);
  const profileOf = new Map(profiles.map((p) => [p.locationId, p]));
  const active = versions.find((v) => v.status === "active");
  return {
    currency,
    currencyDigits: exponentOf(currency),
    window,
    kpis: sourcingKpis(decisions),
    versions: versions.map((v) => ({
      version: v.version,
      name: v.name,
      status: v.status,
      createdBy: v.createdBy,
      createdAt: v.createdAt.toISOString(),
      activatedAt: v.activatedAt?.toISOString() ?? null,
      form: toDraftForm(v.name, v.definition, currency),
    })),
    base: active
      ? { label: `active v${active.version}`, form: toDraftForm(`${active.name} (edited)`, active.definition, currency) }
      : { label: "the default rule set", form: toDraftForm("New rule set", DEFAULT_RULE_SET, currency) },
    locations: locations.map((l) => {
      const p = profileOf.get(l.id);
      const calendar = calendarOf(p);
      return {
        id: l.id,
        name: l.name,
        active: l.isActive,
        online: l.fulfillsOnlineOrders,
        explicit: Boolean(p),
        kind: p?.kind ?? "warehouse",
        priority: p?.priority ?? 100,
        dailyCapacity: p?.dailyCapacity ?? null,
        handlingCost: money(p?.handlingCostMinor ?? 0, currency),
        costPerKm: money(p?.costPerKmMinor ?? 0, currency),
        tags: p?.tags ?? "",
        servesCountries: p?.servesCountries ?? "",
        shipDays: calendar ? formatShipDays(calendar.shipDays) : "",
        cutoff: formatCutoff(p?.cutoffMinutes ?? 24 * 60),
        timeZone: p?.timeZone ?? "UTC",
        closedDates: p?.closedDates ? p.closedDates.split(",").join(", ") : "",
        ships: describeCalendar(calendar),
      };
    }),
    locationTags: [...new Set(profiles.flatMap((p) => splitList(p.tags)))].sort(),
    audit: audit.map((a) => ({ id: a.id, at: a.at.toISOString(), actor: a.actor, subject: a.subject, summary: a.summary })),
  };
}
export type SourcingPageView = Awaited<ReturnType<typeof sourcingPageView>>;

/**
 * The form as a rule set, checked against the shop: every location id and location tag must exist.
 * Product tags are not checked: the OMS does not store them yet (each one named is accepted).
 */
export async function checkDraft(shop: string, form: DraftForm): Promise<Result<RuleSetDefinition, RuleSetError[]>> {
  const [currency, locations, profiles] = await Promise.all([currencyOf(shop), stockLocations(shop), locationProfiles(shop)]);
  const minor = toMinor(form.split.minValue, currency);
  const definition: RuleSetDefinition = {
    rules: form.rules,
    split: { allow: form.split.allow, maxShipments: form.split.maxShipments, minValuePerShipmentMinor: minor ?? 0 },
    backorder: form.backorder,
  };
  const productTags = new Set(form.rules.flatMap((r) => (r.type === "exclude" && r.whenProductTag ? [r.whenProductTag] : [])));
  const checked = validateRuleSet({ id: "draft", version: 0, ...definition }, new Set(locations.map((l) => l.id)), {
    location: new Set(profiles.flatMap((p) => splitList(p.tags))),
    product: productTags,
  });
  const errors: RuleSetError[] = [...(minor === null ? [{ code: "INVALID_MIN_VALUE" as const }] : []), ...(checked.ok ? [] : checked.error)];
  return errors.length ? err(errors) : ok(definition);
}

/** Saves the form as a new draft version; nothing is saved when it does not validate. */
export async function saveDraft(shop: string, form: DraftForm, actor: string): Promise<Result<{ version: number }, RuleSetError[]>> {
  const checked = await checkDraft(shop, form);
  if (!checked.ok) return checked;
  return ok({ version: await saveDraftRuleSet(shop, form.name.trim() || "Untitled", checked.value, actor) });
}

export type ActivateError = { code: "NOT_FOUND" } | { code: "NOT_DRAFT"; status: string } | { code: "INVALID"; errors: RuleSetError[]; rules: readonly Rule[] };

/** Activates a draft that still validates against the shop as it is now; the previous active version is archived. */
export async function activateVersion(shop: string, version: number, actor: string, now: Date): Promise<Result<{ version: number }, ActivateError>> {
  const row = await ruleSetVersion(shop, version);
  if (!row) return err({ code: "NOT_FOUND" });
  if (row.status !== "draft") return err({ code: "NOT_DRAFT", status: row.status });
  const checked = await checkDraft(shop, toDraftForm(row.name, row.definition, await currencyOf(shop)));
  if (!checked.ok) return err({ code: "INVALID", errors: checked.error, rules: row.definition.rules });
  const done = await activateDraftRuleSet(shop, version, { at: now, actor, summary: `Sourcing rules v${version} "${row.name}" activated` });
  return done ? ok({ version }) : err({ code: "NOT_DRAFT", status: "active" });
}

/** The calendar fields as typed: "Mon, Tue, …" (blank = ships every day, no calendar), "15:00", an IANA zone, "2026-12-25, …". */
export type ProfileForm = {
  locationId: string;
  kind: string;
  priority: number;
  dailyCapacity: number | null;
  handlingCost: string;
  costPerKm: string;
  tags: string;
  servesCountries: string;
  shipDays?: string;
  cutoff?: string;
  timeZone?: string;
  closedDates?: string;
};
export type ProfileError =
  | { code: "UNKNOWN_LOCATION" }
  | { code: "INVALID_KIND" }
  | { code: "INVALID_COUNT"; field: "priority" | "dailyCapacity" }
  | { code: "INVALID_MONEY"; field: "handlingCost" | "costPerKm" }
  | { code: "INVALID_COUNTRY"; value: string }
  | { code: "INVALID_SHIP_DAYS" }
  | { code: "INVALID_CUTOFF" }
  | { code: "INVALID_TIME_ZONE"; value: string }
  | { code: "INVALID_CLOSED_DATES" };

const KINDS = new Set(["warehouse", "store", "dropship", "pickup"]);
const isCount = (n: number) => Number.isInteger(n) && n >= 0 && n <= 1_000_000_000;

export async function editLocationProfile(shop: string, form: ProfileForm, actor: string, now: Date): Promise<Result<{ location: string }, ProfileError[]>> {
  const [locations, currency] = await Promise.all([stockLocations(shop), currencyOf(shop)]);
  const location = locations.find((l) => l.id === form.locationId);
  if (!location) return err([{ code: "UNKNOWN_LOCATION" }]);
  const errors: ProfileError[] = [];
  if (!KINDS.has(form.kind)) errors.push({ code: "INVALID_KIND" });
  if (!isCount(form.priority)) errors.push({ code: "INVALID_COUNT", field: "priority" });
  if (form.dailyCapacity !== null && !isCount(form.dailyCapacity)) errors.push({ code: "INVALID_COUNT", field: "dailyCapacity" });
  const handling = toMinor(form.handlingCost, currency);
  const perKm = toMinor(form.costPerKm, currency);
  if (handling === null) errors.push({ code: "INVALID_MONEY", field: "handlingCost" });
  if (perKm === null) errors.push({ code: "INVALID_MONEY", field: "costPerKm" });
  const countries = [...new Set(splitList(form.servesCountries).map((c) => c.toUpperCase()))];
  for (const c of countries) if (!/^[A-Z]{2}$/.test(c)) errors.push({ code: "INVALID_COUNTRY", value: c });
  const shipDays = parseShipDays(form.shipDays ?? "");
  const cutoffMinutes = parseCutoff(form.cutoff ?? "");
  const timeZone = (form.timeZone ?? "").trim() || "UTC";
  const closedDates = parseClosedDates(form.closedDates ?? "");
  if (shipDays === null) errors.push({ code: "INVALID_SHIP_DAYS" });
  if (cutoffMinutes === null) errors.push({ code: "INVALID_CUTOFF" });
  if (!isValidTimeZone(timeZone)) errors.push({ code: "INVALID_TIME_ZONE", value: timeZone });
  if (closedDates === null) errors.push({ code: "INVALID_CLOSED_DATES" });
  if (errors.length) return err(errors);
  const fields = {
    kind: form.kind,
    priority: form.priority,
    dailyCapacity: form.dailyCapacity,
    handlingCostMinor: handling!,
    costPerKmMinor: perKm!,
    tags: [...new Set(splitList(form.tags))].join(","),
    servesCountries: countries.join(","),
    shipDays: shipDays!.join(","),
    cutoffMinutes: cutoffMinutes!,
    timeZone,
    closedDates: closedDates!.join(","),
  };
  await saveLocationProfileAudited(shop, location.id, fields, {
    at: now,
    actor,
    summary: `Profile of ${location.name} saved (${fields.kind}, priority ${fields.priority})`,
  });
  return ok({ location: location.name });
}

// ---------------------------------------------------------------------------------------------
// What-if: recent routed orders decided again under the active rules and under a draft, on the
// stock as it is now. Read-only: nothing is saved or applied.

type PlanStats = { outcome: string; shipments: { locationId: string; units: number; km: number | null; atCapacity: boolean }[]; backorderedUnits: number };

export function planStats(x: SourcingInput, plan: SourcingPlan): PlanStats {
  const units = new Map<string, number>();
  for (const a of plan.assignments) units.set(a.locationId, (units.get(a.locationId) ?? 0) + a.quantity);
  const { latitude, longitude } = x.dest;
  const shipments = [...units].map(([locationId, n]) => {
    const c = x.candidates.find((l) => l.id === locationId);
    const km = c && latitude !== null && longitude !== null ? haversineKm(latitude, longitude, c.latitude, c.longitude) : null;
    return { locationId, units: n, km, atCapacity: Boolean(c && c.dailyCapacity !== null && c.ordersToday >= c.dailyCapacity) };
  });
  return {
    outcome: outcomeOf(plan),
    shipments: shipments.sort((a, b) => a.locationId.localeCompare(b.locationId)),
    backorderedUnits: plan.backorders.reduce((n, b) => n + b.quantity, 0),
  };
}

export function whatIfTotals(plans: readonly PlanStats[]) {
  const shipments = plans.flatMap((p) => p.shipments);
  const located = shipments.filter((s) => s.km !== null);
  const orders = plans.length;
  return {
    orders,
    splitRate: orders ? plans.filter((p) => p.outcome === "split").length / orders : null,
    shipmentsPerOrder: orders ? shipments.length / orders : null,
    avgDistanceKm: located.length ? located.reduce((n, s) => n + s.km!, 0) / located.length : null,
    capacityBreaches: shipments.filter((s) => s.atCapacity).length,
    backorderedUnits: plans.reduce((n, p) => n + p.backorderedUnits, 0),
    held: plans.filter((p) => p.outcome === "held").length,
  };
}

const signature = (p: PlanStats) => `${p.outcome}|${p.shipments.map((s) => `${s.locationId}:${s.units}`).join(",")}|${p.backorderedUnits}`;

export async function simulateWhatIf(shop: string, q: { version: number; orders: number }, now: Date, progress?: (percent: number) => Promise<unknown>) {
  const row = await ruleSetVersion(shop, q.version);
  if (!row) return err({ code: "NOT_FOUND" as const });
  const draft: RuleSet = { id: row.id, version: row.version, ...row.definition };
  const baseline = (await activeRuleSet(shop)) ?? DEFAULT_RULE_SET;
  const active: PlanStats[] = [];
  const proposed: PlanStats[] = [];
  const changed: { orderId: string; name: string; active: string; draft: string }[] = [];
  let skipped = 0;
  const orders = await recentlyRoutedOrders(shop, q.orders);
  let seen = 0;
  for (const o of orders) {
    // Progress as the share of orders replayed (the job's own progress: the page's bar reads it).
    if (progress && seen++ % 5 === 0) await progress((100 * (seen - 1)) / orders.length);
    const x = await loadSourcingInput(shop, o.orderId, now, { alsoFor: [baseline, draft] });
    // Fulfilled or cancelled since: nothing left to route.
    if (!x || !x.lines.length) {
      skipped++;
      continue;
    }
    const a = decideFor({ ...x, ruleSet: baseline }, now);
    const b = decideFor({ ...x, ruleSet: draft }, now);
    if (!a.ok || !b.ok) {
      skipped++;
      continue;
    }
    const [sa, sb] = [planStats(x, a.value), planStats(x, b.value)];
    active.push(sa);
    proposed.push(sb);
    const name = (id: string) => x.candidates.find((c) => c.id === id)?.name ?? id;
    const describe = (p: PlanStats) =>
      `${p.outcome}: ${p.shipments.map((s) => `${name(s.locationId)} ×${s.units}`).join(", ") || "no shipment"}${p.backorderedUnits ? `, ${p.backorderedUnits} backordered` : ""}`;
    if (signature(sa) !== signature(sb)) changed.push({ orderId: o.orderId, name: o.name, active: describe(sa), draft: describe(sb) });
  }
  await progress?.(100);
  return ok({
    draftVersion: row.version,
    baseline: baseline.id === "default" ? "the default rule set" : `active v${baseline.version}`,
    skipped,
    active: whatIfTotals(active),
    draft: whatIfTotals(proposed),
    changed,
  });
}
export type WhatIfResult = Extract<Awaited<ReturnType<typeof simulateWhatIf>>, { ok: true }>["value"];

/**
 * Starts the what-if as a job (sourcingWhatIf): it can take a while over 500 orders, so it runs in
 * the worker and reports its progress; the page polls whatIfRun. An unknown version is refused here.
 */
export async function startWhatIf(shop: string, q: { version: number; orders: number }, now: Date) {
  if (!(await ruleSetVersion(shop, q.version))) return err({ code: "NOT_FOUND" as const });
  const requestId = String(now.getTime());
  await enqueue("sourcingWhatIf", { shop, version: q.version, orders: q.orders, requestId });
  return ok({ jobId: jobs.sourcingWhatIf.jobId({ shop, version: q.version, orders: q.orders, requestId }) });
}

export type WhatIfRun = { id: string; state: string; progress: number; whatIf: WhatIfResult | null; error: string | null };

/** The shop's latest what-if run: running (with its progress), or done with its result (kept as the job's return value). */
export async function whatIfRun(shop: string): Promise<WhatIfRun | null> {
  const j = await latestJobFor("sourcing-what-if", jobs.sourcingWhatIf.name, shop);
  if (!j) return null;
  const r = j.result as Result<WhatIfResult, { code: string }> | null;
  const error = j.state === "failed" ? "The what-if failed; run it again." : r && !r.ok ? "That version does not exist." : null;
  return { id: j.id, state: j.state, progress: j.progress, whatIf: r?.ok ? r.value : null, error };
}
