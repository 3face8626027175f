import type { StaffAction, Staff } from "~/domain/staff/actions";
import { staffActor } from "~/domain/staff/actions";
import { capabilitiesOf, decideStaffAction, type Capabilities, type StaffRole } from "~/domain/staff/roles";
import { orderPolicy } from "../../db/order-policy";
import { recordAudit } from "../../db/promise";
import { authenticate } from "~/shopify.server";
import { resolveStaffMember, sessionTokenOf } from "./staff-member";

export type StaffWithRole = Staff & { role: StaffRole | "owner" | null };

async function whoIsAsking(request: Request) {
  const auth = await authenticate.admin(request);
  const shop = auth.session.shop;
  const userId = auth.sessionToken?.sub ? String(auth.sessionToken.sub) : null;
  const now = new Date();
  const [member, policy] = await Promise.all([resolveStaffMember(shop, userId, sessionTokenOf(request), now), orderPolicy(shop)]);
  return { auth, shop, userId, member, defaultRole: policy.defaultStaffRole, now };
}

/**
 * Authenticates an admin request (session token), names the staff member acting and checks their
 * role may do `action` — before anything changes. A refusal is audited and thrown as a 403
 * Response with the reason, so a route never reaches its change. Every state-changing admin action
 * goes through here; the services it calls record `staff.actor` with before and after.
 */
export async function requireStaffAction(request: Request, action: StaffAction) {
  const { auth, shop, userId, member, defaultRole, now } = await whoIsAsking(request);
  const actor = staffActor(userId);
  const decision = decideStaffAction(member, defaultRole, action);
  if (!decision.allowed) {
    await recordAudit(shop, {
      at: now,
      actor,
      subject: "staff-refused",
      summary: `Refused ${action}: ${decision.reason}`,
      data: { action, role: decision.role, path: new URL(request.url).pathname, method: request.method },
    });
    throw new Response(JSON.stringify({ error: "forbidden", action, reason: decision.reason }), {
      status: 403,
      statusText: "Forbidden",
      headers: { "content-type": "application/json" },
    });
  }
  const staff: StaffWithRole = { shop, userId, actor, role: decision.role };
  return { ...auth, staff, action };
}

/** For loaders: per action, allowed or the reason not (pages render disabled buttons with it). */
export async function staffCapabilities(
  request: Request,
): Promise<{ session: Awaited<ReturnType<typeof authenticate.admin>>["session"]; staff: StaffWithRole; can: Capabilities }> {
  const { auth, shop, userId, member, defaultRole } = await whoIsAsking(request);
  const role = member.accountOwner ? "owner" : userId ? (member.role ?? defaultRole) : null;
  return { session: auth.session, staff: { shop, userId, actor: staffActor(userId), role }, can: capabilitiesOf(member, defaultRole) };
}
