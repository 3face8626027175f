import type { StaffAction, Staff } from "~/domain/staff/actions";
import { staffActor } from "~/domain/staff/actions";
import { authenticate } from "~/shopify.server";

/**
 * Authenticates an admin request (session token) and names the staff member acting. The one seam
 * every state-changing admin action goes through; role checks (a 403 before anything changes)
 * belong here.
 */
export async function requireStaffAction(request: Request, action: StaffAction) {
  const auth = await authenticate.admin(request);
  const userId = auth.sessionToken?.sub ? String(auth.sessionToken.sub) : null;
  const staff: Staff = { shop: auth.session.shop, userId, actor: staffActor(userId) };
  return { ...auth, staff, action };
}
