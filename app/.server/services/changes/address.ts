import { decideChange } from "~/domain/changes/policy";
import { adminFor } from "../../shopify/admin";
import { updateAddressInShopify, type AddressInput } from "../../shopify/order-changes";
import { raiseException } from "../exceptions/raise-exception";
import { syncOrderFromShopify } from "../sync-order";
import { loadChangeContext } from "./context";
import { resourceOrder } from "./resource-order";
import { noteChange, runChangeOnce, type ChangeOutcome, type ChangeRun } from "./run-change";

/**
 * The delivery promise follows the new address once the promise service exists (issue 13): this
 * is the one place a changed address asks for it. Until then there is no promise to recompute.
 */
async function recomputePromiseAfterAddressChange(_shop: string, _orderId: string, _now: Date): Promise<void> {}

/**
 * Changes the shipping address before pick: updated in Shopify (orderUpdate), then sourced again
 * (the closest location may change) and the promise recomputed. After pick it is refused with the
 * reason, and an "intercept with carrier" exception goes to a person.
 */
export async function changeAddress(
  staff: { shop: string; actor: string },
  orderId: string,
  address: AddressInput,
  idempotencyKey: string,
  now: Date,
): Promise<ChangeOutcome> {
  const run: ChangeRun = { shop: staff.shop, orderId, action: "change_address", idempotencyKey, input: address, actor: staff.actor, now };
  return runChangeOnce(run, async (requestId) => {
    const ctx = await loadChangeContext(staff.shop, orderId);
    if (!ctx) return { status: "failed", message: "No such order." };
    const d = decideChange(ctx.changeOrder, ctx.policy, "change_address");
    const to = [address.address1, address.city, address.provinceCode, address.zip, address.countryCode].join(", ");
    if (!d.allowed) {
      if (ctx.changeOrder.state !== "cancelled") {
        await raiseException(
          {
            shop: staff.shop,
            kind: "address_intercept",
            severity: "warning",
            subjectKey: orderId,
            orderId,
            summary: `${ctx.order.name}: customer asks to ship to ${to}, but ${d.reason.charAt(0).toLowerCase()}${d.reason.slice(1)} Intercept with the carrier.`,
            data: { requestId, address, requestedBy: staff.actor },
          },
          now,
        );
      }
      await noteChange(run, requestId, "refused", `Address change to ${to} refused: ${d.reason} Intercept raised for a person.`);
      return { status: "refused", message: d.reason, instead: 'An "intercept with carrier" exception was raised: a person contacts the carrier.' };
    }
    const graphql = await adminFor(staff.shop);
    const r = await updateAddressInShopify(graphql, ctx.order.sourceId, address);
    if (!r.ok) {
      await noteChange(run, requestId, "update-failed", `Shopify refused the address: ${r.message}`, "exception");
      return { status: "failed", message: `Shopify refused the address: ${r.message}` };
    }
    await syncOrderFromShopify(staff.shop, { orderId: ctx.order.sourceId }, "changes", now, "order");
    const re = await resourceOrder(staff.shop, orderId, ctx.order.sourceId, now, { reason: "address changed", actor: staff.actor });
    await recomputePromiseAfterAddressChange(staff.shop, orderId, now);
    const where = re.plan ? [...new Set(re.plan.assignments.map((a) => a.locationId))].length : 0;
    await noteChange(
      run,
      requestId,
      "changed",
      `Shipping address changed to ${to} by ${staff.actor}; re-sourced (${re.applied}${where ? `, ${where} location(s)` : ""})`,
    );
    return {
      status: "done",
      message: `Address changed; sourcing ${re.applied === "applied" ? "moved the order to the best location for it" : "kept the order where it is"}.`,
    };
  });
}
