import { findShop } from "../../db/shops";

// Checkout and rate callbacks come many times a second per shop: whether the shop has the app is
// remembered for 30 s per process (an uninstall stops answering within 30 s). A failed read
// counts as not installed — a 401, never a 5xx.
const known = new Map<string, { ok: boolean; until: number }>();

export async function installed(shop: string): Promise<boolean> {
  const hit = known.get(shop);
  if (hit && hit.until > Date.now()) return hit.ok;
  const row = await findShop(shop).catch(() => null);
  const ok = !!row && !row.uninstalledAt;
  if (known.size > 10_000) known.clear();
  known.set(shop, { ok, until: Date.now() + (ok ? 30_000 : 5_000) });
  return ok;
}

/** What this process already knows (the lean path never reads the database): undefined when it does not. */
export function knownInstalled(shop: string): boolean | undefined {
  const hit = known.get(shop);
  return hit && hit.until > Date.now() ? hit.ok : undefined;
}
