import { deleteSessions, markRedacted } from "../db/shops";

/** shop/redact arrives 48 h after uninstall: erase everything that identifies the shop's people. */
export async function redactShop(shop: string, now: Date): Promise<string> {
  const sessions = await deleteSessions(shop);
  await markRedacted(shop, now);
  return `redacted (${sessions} sessions removed)`;
}
