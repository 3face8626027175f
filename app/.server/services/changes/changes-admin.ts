import { parsePolicy, type ChangePolicy, type PolicyError } from "~/domain/changes/policy";
import type { Result } from "~/domain/shared/result";
import { changePolicy, deleteSubstituteRule, offlineLocations, recentAudit, saveChangePolicy, saveSubstituteRule, substituteRules } from "../../db/changes";
import { stockLocations } from "../../db/stock-settings";
import { previewLocationOffline } from "./location-offline";

/** The Changes page: cut-offs, locations and whether they are online, substitutes, and the audit of all three. */
export async function changesPageView(shop: string, previewLocationId: string | null, now: Date) {
  const [policy, locations, offline, rules, audit] = await Promise.all([
    changePolicy(shop),
    stockLocations(shop),
    offlineLocations(shop),
    substituteRules(shop),
    recentAudit(shop, ["change-policy", "location-availability", "substitutes"]),
  ]);
  const off = new Map(offline.map((o) => [o.locationId, o]));
  const preview = previewLocationId ? await previewLocationOffline(shop, previewLocationId, now) : null;
  return {
    policy,
    locations: locations.map((l) => ({
      id: l.id,
      name: l.name,
      offline: off.has(l.id),
      reason: off.get(l.id)?.offlineReason ?? null,
      since: off.get(l.id)?.offlineSince?.toISOString() ?? null,
    })),
    preview: preview && { locationId: previewLocationId!, rows: preview },
    substitutes: rules.map((r) => ({ id: r.id, variantId: r.variantId, substituteVariantId: r.substituteVariantId, priority: r.priority })),
    audit: audit.map((a) => ({ id: a.id, at: a.at.toISOString(), actor: a.actor, summary: a.summary })),
  };
}

export async function editChangePolicy(
  shop: string,
  input: { cancelUntil: Record<string, string>; restock: boolean; refund: boolean },
  by: string,
  now: Date,
): Promise<Result<ChangePolicy, PolicyError>> {
  const parsed = parsePolicy(input);
  if (parsed.ok) await saveChangePolicy(shop, parsed.value, by, now);
  return parsed;
}

export { deleteSubstituteRule, saveSubstituteRule };
