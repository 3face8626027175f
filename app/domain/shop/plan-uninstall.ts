/**
 * What uninstalling means for a shop. Shopify may deliver app/uninstalled more than once, and
 * after a reinstall a late one must not tear down the new installation.
 */
export type ShopInstallState = { installedAt: Date; uninstalledAt: Date | null } | null;

export type UninstallPlan =
  { kind: "uninstall"; deleteSessions: true; uninstalledAt: Date; redactAfter: Date } | { kind: "ignore"; reason: "ALREADY_UNINSTALLED" | "REINSTALLED_SINCE" };

// Shopify sends shop/redact 48 hours after uninstall; personal data may be kept until then.
const REDACT_GRACE_MS = 48 * 60 * 60 * 1000;

export function planUninstall(state: ShopInstallState, triggeredAt: Date, now: Date): UninstallPlan {
  if (state?.uninstalledAt) return { kind: "ignore", reason: "ALREADY_UNINSTALLED" };
  if (state && state.installedAt > triggeredAt) return { kind: "ignore", reason: "REINSTALLED_SINCE" };
  return {
    kind: "uninstall",
    deleteSessions: true,
    uninstalledAt: now,
    redactAfter: new Date(now.getTime() + REDACT_GRACE_MS),
  };
}
