import type { OrderPolicy } from "~/domain/order/policy";
import { parseMoney } from "~/domain/shared/money";
import { err, ok, type Result } from "~/domain/shared/result";
import type { Staff } from "~/domain/staff/actions";
import { orderPolicy, saveOrderPolicy } from "../../db/order-policy";
import { findShop } from "../../db/shops";

export type PolicyForm = {
  holdHighRisk: boolean;
  validateAddress: boolean;
  maxValue: string;
  paymentTermsRelease: string;
  captureMode: string;
  authorizationWarnHours: number;
};
export type PolicyError = { code: "INVALID_MAX_VALUE" } | { code: "INVALID_WARN_HOURS" } | { code: "INVALID_CHOICE" } | { code: "CHANGED_MEANWHILE" };

/** Release rules and capture policy as the merchant sets them; audited with before and after. */
export async function saveReleaseAndCapturePolicy(shop: string, form: PolicyForm, by: Staff, now: Date): Promise<Result<OrderPolicy, PolicyError>> {
  const currency = (await findShop(shop))?.currencyCode ?? "USD";
  let maxValueMinor: bigint | null = null;
  if (form.maxValue.trim()) {
    const m = parseMoney(form.maxValue.trim(), currency);
    if (!m.ok || m.value.amount <= 0n) return err({ code: "INVALID_MAX_VALUE" });
    maxValueMinor = m.value.amount;
  }
  if (!Number.isInteger(form.authorizationWarnHours) || form.authorizationWarnHours < 1 || form.authorizationWarnHours > 24 * 30)
    return err({ code: "INVALID_WARN_HOURS" });
  if (!["on_order", "on_payment"].includes(form.paymentTermsRelease) || !["automatic", "on_shipment"].includes(form.captureMode))
    return err({ code: "INVALID_CHOICE" });
  const { version, ...before } = await orderPolicy(shop);
  const after: OrderPolicy = {
    ...before,
    holdHighRisk: form.holdHighRisk,
    validateAddress: form.validateAddress,
    maxValueMinor,
    paymentTermsRelease: form.paymentTermsRelease as OrderPolicy["paymentTermsRelease"],
    captureMode: form.captureMode as OrderPolicy["captureMode"],
    authorizationWarnHours: form.authorizationWarnHours,
  };
  if (!(await saveOrderPolicy(shop, version, before, after, by.actor, "settings.edit", now))) return err({ code: "CHANGED_MEANWHILE" });
  return ok(after);
}

export async function orderRulesView(shop: string) {
  const p = await orderPolicy(shop);
  const currency = (await findShop(shop))?.currencyCode ?? "USD";
  return {
    currency,
    holdHighRisk: p.holdHighRisk,
    validateAddress: p.validateAddress,
    maxValue: p.maxValueMinor === null ? "" : (Number(p.maxValueMinor) / 100).toFixed(2),
    paymentTermsRelease: p.paymentTermsRelease,
    captureMode: p.captureMode,
    authorizationWarnHours: p.authorizationWarnHours,
    version: p.version,
  };
}
