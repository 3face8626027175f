import type { Staff } from "~/domain/staff/actions";
import type { ChangeForm } from "~/schemas/order-changes";
import { changeAddress } from "./address";
import { cancelLine, cancelOrder } from "./cancel";
import type { ChangeOutcome } from "./run-change";
import { substituteLine, waitForStock } from "./substitute";

export { changeSchema } from "~/schemas/order-changes";

/** One change from the order page, by the staff member who asked. */
export async function runOrderChange(staff: Staff, orderId: string, f: ChangeForm, now: Date): Promise<ChangeOutcome> {
  switch (f.intent) {
    case "cancel-order":
      return cancelOrder(staff, orderId, f.key, now);
    case "cancel-line":
      return cancelLine(staff, orderId, f.lineItemId, f.quantity, f.key, now);
    case "change-address":
      return changeAddress(
        staff,
        orderId,
        { address1: f.address1, city: f.city, provinceCode: f.provinceCode, zip: f.zip, countryCode: f.countryCode },
        f.key,
        now,
      );
    case "substitute":
      return substituteLine(
        staff,
        orderId,
        { lineItemId: f.lineItemId, variantId: f.variantId, quantity: f.quantity, customerAgreed: f.customerAgreed === "yes" },
        f.key,
        now,
      );
    case "wait-for-stock":
      return (await waitForStock(staff, orderId, f.lineItemId, now))
        ? { status: "done", message: "Waiting for stock: the line is released to a location when stock arrives." }
        : { status: "refused", message: "Nothing is waiting on this line any more.", instead: "Reload the order." };
  }
}
