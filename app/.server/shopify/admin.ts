import { unauthenticated } from "~/shopify.server";
import { NonRetriableError } from "../errors";

export type AdminGraphql = Awaited<ReturnType<typeof unauthenticated.admin>>["admin"]["graphql"];

/**
 * The Admin API client for background work, on the shop's offline session. A shop without a
 * session (uninstalled, or never installed) is not retriable: no amount of waiting will fix it.
 */
export async function adminFor(shop: string): Promise<AdminGraphql> {
  try {
    const { admin } = await unauthenticated.admin(shop);
    return admin.graphql;
  } catch (e) {
    if (e instanceof Error && /session/i.test(e.message)) throw new NonRetriableError(`no offline session for ${shop}: ${e.message}`);
    throw e;
  }
}
