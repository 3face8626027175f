import { STAFF_ACTIONS, type StaffAction } from "./actions";

// Who may do what: a role per staff member (assigned on the Staff page), mapped to the actions of
// actions.ts. The store owner (Shopify's account owner, from the online token's associated user)
// may do everything, whatever role is stored. Pure: the shell loads the member and asks.

export const STAFF_ROLES = ["admin", "manager", "customer_service", "warehouse", "viewer"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

const ORDER_SERVICE: StaffAction[] = [
  "order.cancel",
  "order.edit",
  "order.substitute",
  "order.change_address",
  "order.release",
  "order.refund",
  "order.return",
  "exceptions.work",
  "orders.resync",
];

/** What each role may do. An action added to actions.ts is refused to every role until listed here (admin takes all but staff management's own). */
export const ROLE_ACTIONS: Record<StaffRole, readonly StaffAction[]> = {
  admin: STAFF_ACTIONS,
  manager: STAFF_ACTIONS.filter((a) => a !== "staff.manage"),
  customer_service: ORDER_SERVICE,
  warehouse: ["order.change_location", "inventory.edit", "exceptions.work", "orders.resync"],
  viewer: [],
};

export const ROLE_LABELS: Record<StaffRole, string> = {
  admin: "Admin (everything, including staff roles)",
  manager: "Manager (everything but staff roles)",
  customer_service: "Customer service (cancel, edit, substitute, address, release, refund, return)",
  warehouse: "Warehouse (source location, stock, exceptions)",
  viewer: "Viewer (read only)",
};

export const ACTION_LABELS: Record<StaffAction, string> = {
  "order.cancel": "cancel orders",
  "order.edit": "edit orders",
  "order.substitute": "substitute items",
  "order.change_location": "change an order's source location",
  "order.change_address": "change shipping addresses",
  "order.release": "release held orders",
  "order.capture": "capture payments",
  "order.refund": "refund",
  "order.return": "process returns",
  "rules.edit": "edit rules",
  "inventory.edit": "edit inventory settings",
  "exceptions.work": "work the exception queue",
  "settings.edit": "change settings",
  "marketplace.connect": "connect marketplaces",
  "staff.manage": "assign staff roles",
  "orders.resync": "re-read open orders from Shopify",
};

export const isStaffRole = (r: string): r is StaffRole => (STAFF_ROLES as readonly string[]).includes(r);

/** A staff member as far as permissions go: the stored role (null: the shop's default applies) and whether Shopify says they own the store. */
export type StaffMemberView = { userId: string | null; accountOwner: boolean; role: StaffRole | null };

export type Permission = { allowed: true; role: StaffRole | "owner" } | { allowed: false; role: StaffRole | null; reason: string };

export function decideStaffAction(member: StaffMemberView, defaultRole: StaffRole, action: StaffAction): Permission {
  if (member.accountOwner) return { allowed: true, role: "owner" };
  if (!member.userId) return { allowed: false, role: null, reason: `Only a signed-in staff member may ${ACTION_LABELS[action]}.` };
  const role = member.role ?? defaultRole;
  if (ROLE_ACTIONS[role].includes(action)) return { allowed: true, role };
  return {
    allowed: false,
    role,
    reason: `Your role (${ROLE_LABELS[role].split(" (")[0]}) may not ${ACTION_LABELS[action]}. Ask the store owner or an admin for a role that may.`,
  };
}

export type Capabilities = Record<StaffAction, { allowed: boolean; reason?: string }>;

/** Per action: allowed, or the reason not (pages render a disabled button with it). */
export function capabilitiesOf(member: StaffMemberView, defaultRole: StaffRole): Capabilities {
  const out = {} as Capabilities;
  for (const a of STAFF_ACTIONS) {
    const p = decideStaffAction(member, defaultRole, a);
    out[a] = p.allowed ? { allowed: true } : { allowed: false, reason: p.reason };
  }
  return out;
}
