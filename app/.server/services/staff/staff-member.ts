import type { StaffMemberView } from "~/domain/staff/roles";
import { findStaffMember, saveStaffIdentity } from "../../db/staff";
import { env } from "../../env";
import { fetchStaffIdentity } from "../../shopify/staff-identity";

/** How long what Shopify said about a user (account owner, name) is trusted before asking again. */
const IDENTITY_TTL_MS = 6 * 3_600_000;

/** The raw session token of an admin request (App Bridge sends it as a bearer token, a document load as id_token). */
export function sessionTokenOf(request: Request): string | null {
  const bearer = request.headers.get("authorization");
  if (bearer?.startsWith("Bearer ")) return bearer.slice(7);
  return new URL(request.url).searchParams.get("id_token");
}

/**
 * The staff member behind a request: the stored role, and whether Shopify says they own the
 * store — asked through an online-token exchange when the OMS has not asked for a while.
 */
export async function resolveStaffMember(shop: string, userId: string | null, sessionToken: string | null, now: Date): Promise<StaffMemberView> {
  if (!userId) return { userId: null, accountOwner: false, role: null };
  let member = await findStaffMember(shop, userId);
  const stale = !member?.identityCheckedAt || now.getTime() - member.identityCheckedAt.getTime() > IDENTITY_TTL_MS;
  if (stale && sessionToken) {
    const { SHOPIFY_API_KEY, SHOPIFY_API_SECRET } = env();
    const identity = await fetchStaffIdentity(shop, sessionToken, SHOPIFY_API_KEY, SHOPIFY_API_SECRET);
    // A token for another user than the session token's is not this member's identity.
    const usable = identity && identity.userId === userId ? identity : null;
    await saveStaffIdentity(shop, userId, usable ? { accountOwner: usable.accountOwner, name: usable.name, email: usable.email } : null, now);
    member = await findStaffMember(shop, userId);
  }
  return { userId, accountOwner: member?.accountOwner ?? false, role: member?.role ?? null };
}
