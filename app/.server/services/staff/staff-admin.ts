import { err, ok, type Result } from "~/domain/shared/result";
import { isStaffRole, ROLE_LABELS, STAFF_ROLES, type StaffRole } from "~/domain/staff/roles";
import type { Staff } from "~/domain/staff/actions";
import { listStaffMembers, findStaffMember, setStaffRole } from "../../db/staff";
import { orderPolicy, saveOrderPolicy } from "../../db/order-policy";
import { auditEvents } from "../../db/stock-settings";

// The Staff page: members the OMS has seen (or that an admin added by Shopify user id), their
// roles, and the role of everyone without one. Every change is audited with before and after.

export async function staffPageView(shop: string) {
  const [members, policy, audit] = await Promise.all([
    listStaffMembers(shop),
    orderPolicy(shop),
    auditEvents(shop, ["staff-role", "staff-refused", "order-policy"], 20),
  ]);
  return {
    defaultRole: policy.defaultStaffRole,
    roles: STAFF_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] })),
    members: members.map((m) => ({
      userId: m.userId,
      name: m.name,
      email: m.email,
      accountOwner: m.accountOwner,
      role: m.role,
      effective: m.accountOwner ? "owner (all rights)" : (m.role ?? `${policy.defaultStaffRole} (default)`),
      updatedBy: m.updatedBy,
    })),
    audit: audit.map((a) => ({ id: a.id, at: a.at.toISOString(), actor: a.actor, subject: a.subject, summary: a.summary })),
  };
}

export type StaffEditError = { code: "UNKNOWN_ROLE" } | { code: "INVALID_USER" } | { code: "CHANGED_MEANWHILE" };

/** Assigns a role ("default" clears it). Guarded on the role read, so a concurrent change is reported, not overwritten. */
export async function assignStaffRole(
  shop: string,
  userId: string,
  role: string,
  by: Staff,
  now: Date,
): Promise<Result<{ before: StaffRole | null; after: StaffRole | null }, StaffEditError>> {
  if (!/^\d{1,20}$/.test(userId)) return err({ code: "INVALID_USER" });
  const after = role === "default" ? null : isStaffRole(role) ? role : undefined;
  if (after === undefined) return err({ code: "UNKNOWN_ROLE" });
  const before = (await findStaffMember(shop, userId))?.role ?? null;
  if (!(await setStaffRole(shop, userId, before, after, by.actor, now))) return err({ code: "CHANGED_MEANWHILE" });
  return ok({ before, after });
}

export async function setDefaultStaffRole(
  shop: string,
  role: string,
  by: Staff,
  now: Date,
): Promise<Result<{ before: StaffRole; after: StaffRole }, StaffEditError>> {
  if (!isStaffRole(role)) return err({ code: "UNKNOWN_ROLE" });
  const current = await orderPolicy(shop);
  const { version, ...before } = current;
  if (!(await saveOrderPolicy(shop, version, before, { ...before, defaultStaffRole: role }, by.actor, "staff.manage", now)))
    return err({ code: "CHANGED_MEANWHILE" });
  return ok({ before: before.defaultStaffRole, after: role });
}
