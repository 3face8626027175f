import { describe, expect, it } from "vitest";
import { planUninstall } from "./plan-uninstall";

const t = (iso: string) => new Date(iso);

describe("planUninstall", () => {
  const now = t("2026-11-23T10:00:00Z");

  it("uninstalls an installed shop and schedules redaction 48 hours later", () => {
    const plan = planUninstall({ installedAt: t("2026-01-01T00:00:00Z"), uninstalledAt: null }, t("2026-11-23T09:59:00Z"), now);
    expect(plan).toEqual({ kind: "uninstall", deleteSessions: true, uninstalledAt: now, redactAfter: t("2026-11-25T10:00:00Z") });
  });

  it("uninstalls a shop it never saw installed (the install predates the app's records)", () => {
    expect(planUninstall(null, now, now).kind).toBe("uninstall");
  });

  it("ignores a repeated delivery for a shop already uninstalled", () => {
    const plan = planUninstall({ installedAt: t("2026-01-01T00:00:00Z"), uninstalledAt: t("2026-11-23T09:00:00Z") }, now, now);
    expect(plan).toEqual({ kind: "ignore", reason: "ALREADY_UNINSTALLED" });
  });

  it("ignores a late delivery triggered before the shop reinstalled", () => {
    const plan = planUninstall({ installedAt: t("2026-11-23T09:30:00Z"), uninstalledAt: null }, t("2026-11-23T09:00:00Z"), now);
    expect(plan).toEqual({ kind: "ignore", reason: "REINSTALLED_SINCE" });
  });
});
