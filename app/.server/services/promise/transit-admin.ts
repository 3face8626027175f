import { err, ok, type Result } from "~/domain/shared/result";
import { DEFAULT_BANDS, transitEntryErrors } from "~/domain/promise/transit";
import { auditEvents, stockLocations } from "../../db/stock-settings";
import { saveTransitTime, transitTimes } from "../../db/promise";
import { SHIPPING_METHODS } from "./quote-promise";

export type TransitInput = { originLocationId: string; zone: string; methodCode: string; minDays: number; maxDays: number; remove: boolean };

/** Sets or removes one transit time, validated, audited with the staff member who did it. */
export async function editTransitTime(shop: string, input: TransitInput, actor: string, now: Date): Promise<Result<null, string[]>> {
  const zone = input.zone.trim().toUpperCase();
  const row = { originLocationId: input.originLocationId, zone, methodCode: input.methodCode, minDays: input.minDays, maxDays: input.maxDays };
  const errors = input.remove ? [] : transitEntryErrors(row);
  const locations = await stockLocations(shop);
  const origin = locations.find((l) => l.id === input.originLocationId);
  if (!origin) errors.push("origin must be one of the shop's locations");
  if (!SHIPPING_METHODS.some((m) => m.code === input.methodCode)) errors.push(`method must be one of ${SHIPPING_METHODS.map((m) => m.code).join(", ")}`);
  if (errors.length) return err(errors);
  const summary = input.remove
    ? `Transit time removed: ${origin!.name} → ${zone} (${input.methodCode})`
    : `Transit time ${origin!.name} → ${zone} (${input.methodCode}): ${row.minDays}–${row.maxDays} business days`;
  await saveTransitTime(shop, row, input.remove, { at: now, actor, summary });
  return ok(null);
}

/** The page: the shop's transit times, the distance-band defaults, the methods, and who changed what. */
export async function transitView(shop: string) {
  const [rows, locations, audit] = await Promise.all([transitTimes(shop), stockLocations(shop), auditEvents(shop, ["transit-times"], 10)]);
  const name = new Map(locations.map((l) => [l.id, l.name]));
  return {
    rows: rows.map((r) => ({ ...r, origin: name.get(r.originLocationId) ?? r.originLocationId, updatedAt: r.updatedAt.toISOString() })),
    locations: locations.map((l) => ({ id: l.id, name: l.name })),
    methods: SHIPPING_METHODS.map((m) => ({ code: m.code, name: m.name, carrier: m.carrier })),
    bands: Object.entries(DEFAULT_BANDS).map(([method, bands]) => ({
      method,
      bands: bands.map((b) => `≤ ${b.upToKm} km: ${b.minDays}–${b.maxDays} d`).join(" · "),
    })),
    audit: audit.map((a) => ({ at: a.at.toISOString(), actor: a.actor, summary: a.summary })),
  };
}
