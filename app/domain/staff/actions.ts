// What staff can do in the app that changes an order, money, stock or configuration. Every such
// route action goes through requireStaffAction (app/.server/services/staff/require-staff-action.ts)
// with one of these, so permissions (issue 15: roles mapped to Shopify staff) are checked in one
// place and every action is audited with its actor.

export const STAFF_ACTIONS = [
  "order.cancel",
  "order.edit",
  "order.substitute",
  "order.change_location",
  "order.change_address",
  "order.release",
  "order.capture",
  "order.refund",
  "order.return",
  "rules.edit",
  "inventory.edit",
  "exceptions.work",
  "settings.edit",
  "marketplace.connect",
  "staff.manage",
  "orders.resync",
] as const;

export type StaffAction = (typeof STAFF_ACTIONS)[number];

/** The person behind an admin request: Shopify's staff user id from the session token (`sub`). */
export type Staff = { shop: string; userId: string | null; actor: string };

export const staffActor = (userId: string | null) => (userId ? `user:${userId}` : "user:unknown");
