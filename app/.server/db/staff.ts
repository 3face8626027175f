import { isStaffRole, type StaffMemberView, type StaffRole } from "~/domain/staff/roles";
import { db } from "./client";
import { isUniqueViolation } from "./orders";

// Staff members and their roles. A role change is one transaction with its audit entry (before
// and after); identity (owner, name, email) comes from Shopify and is refreshed separately.

export type StaffRow = StaffMemberView & {
  userId: string;
  name: string | null;
  email: string | null;
  identityCheckedAt: Date | null;
  updatedBy: string | null;
};

const toView = (r: {
  userId: string;
  role: string | null;
  accountOwner: boolean;
  name: string | null;
  email: string | null;
  identityCheckedAt: Date | null;
  updatedBy: string | null;
}): StaffRow => ({
  ...r,
  role: r.role && isStaffRole(r.role) ? r.role : null,
});

export async function findStaffMember(shop: string, userId: string): Promise<StaffRow | null> {
  const r = await db().staffMember.findUnique({ where: { shop_userId: { shop, userId } } });
  return r ? toView(r) : null;
}

export async function listStaffMembers(shop: string): Promise<StaffRow[]> {
  return (await db().staffMember.findMany({ where: { shop }, orderBy: [{ accountOwner: "desc" }, { userId: "asc" }] })).map(toView);
}

/** Records who a user is, as Shopify says (never touches the role). */
export async function saveStaffIdentity(
  shop: string,
  userId: string,
  identity: { accountOwner: boolean; name: string | null; email: string | null } | null,
  at: Date,
): Promise<void> {
  const data = identity ? { ...identity, identityCheckedAt: at } : { identityCheckedAt: at };
  try {
    await db().staffMember.upsert({ where: { shop_userId: { shop, userId } }, create: { shop, userId, ...data }, update: data });
  } catch (e) {
    // Two requests of the same member at once both created it: the loser updates.
    if (!isUniqueViolation(e)) throw e;
    await db().staffMember.update({ where: { shop_userId: { shop, userId } }, data });
  }
}

/**
 * Sets a member's role (null: back to the shop's default). Guarded on the role read before, so two
 * admins changing the same member at once cannot both believe they set it: the loser gets false.
 */
export async function setStaffRole(shop: string, userId: string, before: StaffRole | null, role: StaffRole | null, actor: string, at: Date): Promise<boolean> {
  return guardedCreate(() =>
    db().$transaction(async (tx) => {
      const existing = await tx.staffMember.findUnique({ where: { shop_userId: { shop, userId } }, select: { role: true } });
      if (!existing) await tx.staffMember.create({ data: { shop, userId, role, updatedBy: actor } });
      else {
        const n = await tx.staffMember.updateMany({ where: { shop, userId, role: before }, data: { role, updatedBy: actor } });
        if (n.count === 0) return false;
      }
      await tx.auditEvent.create({
        data: {
          shop,
          at,
          actor,
          subject: "staff-role",
          summary: `Role of user ${userId}: ${before ?? "default"} → ${role ?? "default"}`,
          data: JSON.stringify({ action: "staff.manage", userId, before: { role: before }, after: { role } }),
        },
      });
      return true;
    }),
  );
}

/** A create that lost a race to a concurrent one is a "changed meanwhile", not an error. */
export async function guardedCreate(run: () => Promise<boolean>): Promise<boolean> {
  try {
    return await run();
  } catch (e) {
    if (isUniqueViolation(e)) return false;
    throw e;
  }
}
