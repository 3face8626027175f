import { db } from "./client";

/** Called after every authentication; only a first install or a reinstall changes anything. */
export async function markInstalled(domain: string, at: Date): Promise<void> {
  const existing = await db().shop.findUnique({ where: { domain } });
  if (existing && !existing.uninstalledAt) return;
  await db().shop.upsert({
    where: { domain },
    create: { domain, installedAt: at },
    update: { installedAt: at, uninstalledAt: null, redactedAt: null },
  });
}

export async function markUninstalled(domain: string, at: Date): Promise<void> {
  await db().shop.upsert({
    where: { domain },
    create: { domain, installedAt: at, uninstalledAt: at },
    update: { uninstalledAt: at },
  });
}

export function findShop(domain: string) {
  return db().shop.findUnique({ where: { domain } });
}

export async function deleteSessions(shop: string): Promise<number> {
  const { count } = await db().session.deleteMany({ where: { shop } });
  return count;
}

export async function markRedacted(domain: string, at: Date): Promise<void> {
  await db().shop.upsert({
    where: { domain },
    create: { domain, installedAt: at, uninstalledAt: at, redactedAt: at },
    update: { redactedAt: at },
  });
}

export async function updateSessionScopes(shop: string, scope: string): Promise<void> {
  await db().session.updateMany({ where: { shop }, data: { scope } });
}

export async function saveShopProfile(domain: string, profile: { name: string; currencyCode: string }): Promise<void> {
  await db().shop.update({ where: { domain }, data: { name: profile.name, currencyCode: profile.currencyCode } });
}

export async function installedShops(): Promise<string[]> {
  const rows = await db().shop.findMany({ where: { uninstalledAt: null }, select: { domain: true } });
  return rows.map((r) => r.domain);
}

// Whether a shop has the app installed now is read with each webhook delivery (findDeliveryToProcess in
// db/webhook-deliveries.ts): one statement, never cached.
