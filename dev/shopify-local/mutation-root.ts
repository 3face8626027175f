// The Admin API mutations the OMS uses, with Shopify's inputs, payloads and userErrors. A business
// rejection is a userError in the payload (HTTP 200), exactly as Shopify answers.
import { gid, idOf } from "./gid";
import { fulfill, moveQuantity, touch, type Announcement } from "./operations";
import { foRef, inventoryLevelPayload, orderPayload, placedOnHoldPayload } from "./payloads";
import { presentFulfillment, presentFulfillmentOrder, presentLocation, presentOrder, presentInventoryItem } from "./presenters";
import { levelKey, onHandOf, QUANTITY_NAMES, StandInError, type FulfillmentOrder, type Level, type QuantityName, type ShopState } from "./store";
import type { StandIn } from "./standin";
import { flowMutations } from "./flow";
import { routingMutations } from "./mutations-routing";
import { createCarrierService, presentCarrierService } from "./carrier-service";
import { returnMutations } from "./returns";
import { paymentMutations } from "./payments";
import { refundMutations } from "./refunds";
import { orderEditingMutations } from "./order-editing";

type Ctx = { standIn: StandIn; shop: ShopState; now: Date; announce: (events: Announcement) => void };
const userError = (message: string, field: string[] = [], code?: string) => ({ message, field, ...(code ? { code } : {}) });

function itemVariant(shop: ShopState, inventoryItemId: string) {
  const id = idOf("InventoryItem", inventoryItemId);
  return [...shop.variants.values()].find((v) => v.inventoryItemId === id);
}

function adjustmentGroup(
  ctx: Ctx,
  reason: string,
  uri: string | null,
  changes: { name: string; delta: number; lv: Level; after: number; ledger?: string | null }[],
) {
  return {
    __typename: "InventoryAdjustmentGroup",
    id: gid("InventoryAdjustmentGroup", ctx.standIn.ids.next()),
    createdAt: ctx.now.toISOString(),
    reason,
    referenceDocumentUri: uri,
    app: null,
    staffMember: null,
    changes: changes.map((c) => {
      const variant = [...ctx.shop.variants.values()].find((v) => v.inventoryItemId === c.lv.inventoryItemId)!;
      return {
        name: c.name,
        delta: c.delta,
        quantityAfterChange: c.after,
        ledgerDocumentUri: c.ledger ?? null,
        item: presentInventoryItem(ctx.shop, variant),
        location: presentLocation(ctx.shop, ctx.shop.locations.get(c.lv.locationId)!),
      };
    }),
  };
}

function stocked(ctx: Ctx, inventoryItemId: string, locationId: string, path: string[]): { lv: Level } | { error: ReturnType<typeof userError> } {
  const v = itemVariant(ctx.shop, inventoryItemId);
  if (!v) return { error: userError("The specified inventory item could not be found.", [...path, "inventoryItemId"], "INVALID_INVENTORY_ITEM") };
  const locId = idOf("Location", locationId);
  if (locId === null || !ctx.shop.locations.has(locId))
    return { error: userError("The specified location could not be found.", [...path, "locationId"], "INVALID_LOCATION") };
  const lv = ctx.shop.levels.get(levelKey(v.inventoryItemId, locId));
  if (!lv) return { error: userError("The specified inventory item is not stocked at the location.", [...path, "locationId"], "ITEM_NOT_STOCKED_AT_LOCATION") };
  return { lv };
}

const value = (lv: Level, name: string) => (name === "on_hand" ? onHandOf(lv.q) : lv.q[name as QuantityName]);

export function mutationRoot(ctx: Ctx) {
  const { shop } = ctx;
  const foById = (id: string): FulfillmentOrder | undefined => shop.fulfillmentOrders.get(idOf("FulfillmentOrder", id) ?? -1);

  return {
    ...routingMutations(ctx),

    carrierServiceCreate: ({
      input,
    }: {
      input: { name?: string | null; callbackUrl?: string | null; supportsServiceDiscovery?: boolean | null; active?: boolean | null };
    }) => {
      const r = createCarrierService(shop, input && ctx.standIn.ids.next(), input);
      if ("error" in r) return { carrierService: null, userErrors: [userError(r.error, ["input", r.field], "CARRIER_SERVICE_CREATE_FAILED")] };
      return { carrierService: presentCarrierService(r.service), userErrors: [] };
    },
    ...returnMutations(ctx),
    ...paymentMutations(ctx),
    ...flowMutations(ctx),
    ...refundMutations(ctx),
    ...orderEditingMutations(ctx),
    inventorySetQuantities: ({
      input,
    }: {
      input: {
        reason: string;
        name: string;
        referenceDocumentUri?: string;
        quantities: { inventoryItemId: string; locationId: string; quantity: number; changeFromQuantity?: number | null }[];
      };
    }) => {
      const errors: ReturnType<typeof userError>[] = [];
      if (input.name !== "available" && input.name !== "on_hand")
        errors.push(userError("The quantity name must be either 'available' or 'on_hand'.", ["input", "name"], "INVALID_NAME"));
      const targets: { lv: Level; quantity: number }[] = [];
      input.quantities.forEach((q, i) => {
        const path = ["input", "quantities", String(i)];
        // 2026-04: changeFromQuantity must be passed (null opts out of the compare-and-swap).
        if (!("changeFromQuantity" in q))
          return errors.push(
            userError("changeFromQuantity is required; pass null to skip the check.", [...path, "changeFromQuantity"], "COMPARE_QUANTITY_REQUIRED"),
          );
        if (q.quantity < 0 && input.name === "on_hand")
          return errors.push(userError("The quantity can't be negative.", [...path, "quantity"], "INVALID_QUANTITY_NEGATIVE"));
        const found = stocked(ctx, q.inventoryItemId, q.locationId, path);
        if ("error" in found) return errors.push(found.error);
        if (q.changeFromQuantity !== null && q.changeFromQuantity !== undefined && value(found.lv, input.name) !== q.changeFromQuantity) {
          return errors.push(
            userError("The specified compare quantity does not match the current quantity.", [...path, "changeFromQuantity"], "CHANGE_FROM_QUANTITY_STALE"),
          );
        }
        targets.push({ lv: found.lv, quantity: q.quantity });
      });
      if (errors.length) return { inventoryAdjustmentGroup: null, userErrors: errors };
      const changes = targets.map(({ lv, quantity }) => {
        const before = value(lv, input.name);
        // Setting on_hand changes available by the difference; setting available does the same.
        lv.q.available += quantity - before;
        lv.updatedAt = ctx.now.toISOString();
        return { name: input.name, delta: quantity - before, lv, after: quantity };
      });
      ctx.announce(targets.map(({ lv }) => ({ topic: "inventory_levels/update", payload: inventoryLevelPayload(lv) })));
      return { inventoryAdjustmentGroup: adjustmentGroup(ctx, input.reason, input.referenceDocumentUri ?? null, changes), userErrors: [] };
    },

    inventoryAdjustQuantities: ({
      input,
    }: {
      input: {
        reason: string;
        name: string;
        referenceDocumentUri?: string;
        changes: { delta: number; changeFromQuantity?: number | null; inventoryItemId: string; locationId: string; ledgerDocumentUri?: string }[];
      };
    }) => {
      const errors: ReturnType<typeof userError>[] = [];
      const name = input.name as QuantityName;
      if (!QUANTITY_NAMES.includes(name) || name === "committed")
        errors.push(userError(`${input.name} is not a quantity name that can be adjusted.`, ["input", "name"], "INVALID_QUANTITY_NAME"));
      const targets: { lv: Level; delta: number; ledger?: string }[] = [];
      input.changes.forEach((c, i) => {
        const path = ["input", "changes", String(i)];
        if (name !== "available" && !c.ledgerDocumentUri)
          return errors.push(
            userError("A ledger document URI is required for quantity names other than available.", [...path, "ledgerDocumentUri"], "INVALID_LEDGER_DOCUMENT"),
          );
        const found = stocked(ctx, c.inventoryItemId, c.locationId, path);
        if ("error" in found) return errors.push(found.error);
        if (c.changeFromQuantity != null && found.lv.q[name] !== c.changeFromQuantity)
          return errors.push(userError("The quantity has changed since it was read.", [...path, "changeFromQuantity"], "CHANGE_FROM_QUANTITY_STALE"));
        targets.push({ lv: found.lv, delta: c.delta, ledger: c.ledgerDocumentUri });
      });
      if (errors.length) return { inventoryAdjustmentGroup: null, userErrors: errors };
      const changes = targets.map((t) => {
        t.lv.q[name] += t.delta;
        t.lv.updatedAt = ctx.now.toISOString();
        return { name, delta: t.delta, lv: t.lv, after: t.lv.q[name], ledger: t.ledger };
      });
      ctx.announce(targets.map(({ lv }) => ({ topic: "inventory_levels/update", payload: inventoryLevelPayload(lv) })));
      return { inventoryAdjustmentGroup: adjustmentGroup(ctx, input.reason, input.referenceDocumentUri ?? null, changes), userErrors: [] };
    },

    inventoryMoveQuantities: ({
      input,
    }: {
      input: {
        reason: string;
        referenceDocumentUri: string;
        changes: {
          inventoryItemId: string;
          quantity: number;
          from: { locationId: string; name: string; ledgerDocumentUri?: string; changeFromQuantity?: number | null };
          to: { locationId: string; name: string; ledgerDocumentUri?: string; changeFromQuantity?: number | null };
        }[];
      };
    }) => {
      const errors: ReturnType<typeof userError>[] = [];
      const moves: { lv: Level; from: QuantityName; to: QuantityName; quantity: number }[] = [];
      input.changes.forEach((c, i) => {
        const path = ["input", "changes", String(i)];
        if (c.from.locationId !== c.to.locationId)
          return errors.push(userError("Quantities can only be moved within one location.", path, "DIFFERENT_LOCATIONS"));
        if (c.from.name === c.to.name) return errors.push(userError("The from and to quantity names must differ.", path, "SAME_QUANTITY_NAME"));
        const names = [c.from.name, c.to.name] as QuantityName[];
        if (names.some((n) => !QUANTITY_NAMES.includes(n) || n === "committed" || n === "incoming"))
          return errors.push(userError("Invalid quantity name.", path, "INVALID_QUANTITY_NAME"));
        if (c.from.name !== "available" && !c.from.ledgerDocumentUri)
          return errors.push(userError("A ledger document URI is required.", [...path, "from", "ledgerDocumentUri"], "INVALID_LEDGER_DOCUMENT"));
        if (c.to.name !== "available" && !c.to.ledgerDocumentUri)
          return errors.push(userError("A ledger document URI is required.", [...path, "to", "ledgerDocumentUri"], "INVALID_LEDGER_DOCUMENT"));
        if (c.quantity < 0) return errors.push(userError("The quantity can't be negative.", [...path, "quantity"], "INVALID_QUANTITY_NEGATIVE"));
        const found = stocked(ctx, c.inventoryItemId, c.from.locationId, path);
        if ("error" in found) return errors.push(found.error);
        const from = c.from.name as QuantityName;
        const to = c.to.name as QuantityName;
        if (c.from.changeFromQuantity != null && found.lv.q[from] !== c.from.changeFromQuantity)
          return errors.push(userError("The quantity has changed since it was read.", [...path, "from", "changeFromQuantity"], "CHANGE_FROM_QUANTITY_STALE"));
        if (c.to.changeFromQuantity != null && found.lv.q[to] !== c.to.changeFromQuantity)
          return errors.push(userError("The quantity has changed since it was read.", [...path, "to", "changeFromQuantity"], "CHANGE_FROM_QUANTITY_STALE"));
        moves.push({ lv: found.lv, from, to, quantity: c.quantity });
      });
      if (errors.length) return { inventoryAdjustmentGroup: null, userErrors: errors };
      const changes = moves.flatMap((m) => {
        moveQuantity(shop, m.lv.inventoryItemId, m.lv.locationId, m.from, m.to, m.quantity, ctx.now);
        return [
          { name: m.from, delta: -m.quantity, lv: m.lv, after: m.lv.q[m.from] },
          { name: m.to, delta: m.quantity, lv: m.lv, after: m.lv.q[m.to] },
        ];
      });
      ctx.announce(moves.map(({ lv }) => ({ topic: "inventory_levels/update", payload: inventoryLevelPayload(lv) })));
      return { inventoryAdjustmentGroup: adjustmentGroup(ctx, input.reason, input.referenceDocumentUri, changes), userErrors: [] };
    },

    fulfillmentOrderMove: ({
      id,
      newLocationId,
      fulfillmentOrderLineItems,
    }: {
      id: string;
      newLocationId: string;
      fulfillmentOrderLineItems?: { id: string; quantity: number }[];
    }) => {
      const none = { movedFulfillmentOrder: null, originalFulfillmentOrder: null, remainingFulfillmentOrder: null };
      const fo = foById(id);
      if (!fo) return { ...none, userErrors: [userError("Fulfillment order does not exist.", ["id"])] };
      const dest = shop.locations.get(idOf("Location", newLocationId) ?? -1);
      if (!dest || !dest.isActive) return { ...none, userErrors: [userError("Location does not exist or is inactive.", ["newLocationId"])] };
      if (fo.status !== "OPEN" && fo.status !== "ON_HOLD" && fo.status !== "SCHEDULED") {
        // The only code FulfillmentOrderMoveUserError has in 2026-04; Shopify's other refusals carry none.
        if (fo.status === "IN_PROGRESS")
          return {
            ...none,
            userErrors: [
              userError("Cannot move a fulfillment order that has progress reported.", ["id"], "CANNOT_MOVE_FULFILLMENT_ORDER_WITH_REPORTED_PROGRESS"),
            ],
          };
        return { ...none, userErrors: [userError(`Cannot move a fulfillment order with status ${fo.status.toLowerCase()}.`, ["id"])] };
      }
      if (fo.deliveryMethod === "PICK_UP") return { ...none, userErrors: [userError("Cannot move a fulfillment order for local pickup.", ["id"])] };
      const order = shop.orders.get(fo.orderId)!;
      const wanted = fulfillmentOrderLineItems?.length
        ? fulfillmentOrderLineItems.map((r) => ({ fl: fo.lines.find((l) => gid("FulfillmentOrderLineItem", l.id) === r.id), quantity: r.quantity }))
        : fo.lines.map((fl) => ({ fl, quantity: fl.remainingQuantity }));
      for (const w of wanted) {
        if (!w.fl || w.quantity < 1 || w.quantity > w.fl.remainingQuantity)
          return { ...none, userErrors: [userError("Invalid fulfillment order line item quantity.", ["fulfillmentOrderLineItems"])] };
        const li = order.lines.find((l) => l.id === w.fl!.lineItemId)!;
        const item = li.variantId ? shop.variants.get(li.variantId)!.inventoryItemId : null;
        if (item !== null && !shop.levels.has(levelKey(item, dest.id)))
          return { ...none, userErrors: [userError(`${li.sku ?? li.title} is not stocked at ${dest.name}.`, ["newLocationId"])] };
      }
      const moveAll = wanted.every((w) => w.quantity === w.fl!.remainingQuantity) && wanted.length === fo.lines.filter((l) => l.remainingQuantity > 0).length;
      const from = fo.locationId;
      // Committed stock moves with the assignment.
      for (const w of wanted) {
        const li = order.lines.find((l) => l.id === w.fl!.lineItemId)!;
        if (!li.variantId) continue;
        const item = shop.variants.get(li.variantId)!.inventoryItemId;
        moveQuantity(shop, item, from, "committed", "available", w.quantity, ctx.now);
        moveQuantity(shop, item, dest.id, "available", "committed", w.quantity, ctx.now);
      }
      let moved: FulfillmentOrder;
      if (moveAll) {
        fo.locationId = dest.id;
        fo.updatedAt = ctx.now.toISOString();
        moved = fo;
      } else {
        moved = {
          id: ctx.standIn.ids.next(),
          orderId: fo.orderId,
          locationId: dest.id,
          status: "OPEN",
          requestStatus: "UNSUBMITTED",
          lines: [],
          holds: [],
          createdAt: ctx.now.toISOString(),
          updatedAt: ctx.now.toISOString(),
        };
        for (const w of wanted) {
          w.fl!.remainingQuantity -= w.quantity;
          w.fl!.totalQuantity -= w.quantity;
          moved.lines.push({ id: ctx.standIn.ids.next(), lineItemId: w.fl!.lineItemId, totalQuantity: w.quantity, remainingQuantity: w.quantity });
        }
        fo.lines = fo.lines.filter((l) => l.totalQuantity > 0);
        fo.updatedAt = ctx.now.toISOString();
        shop.fulfillmentOrders.set(moved.id, moved);
      }
      ctx.announce([
        {
          topic: "fulfillment_orders/moved",
          payload: {
            // The original's final state (as the mutation's originalFulfillmentOrder): moved whole,
            // it is the moved one, at the destination; where it came from is source_location.
            original_fulfillment_order: { ...foRef(fo), assigned_location_id: gid("Location", fo.locationId) },
            moved_fulfillment_order: { ...foRef(moved), assigned_location_id: gid("Location", dest.id) },
            destination_location_id: gid("Location", dest.id),
            fulfillment_order_line_items_requested: (fulfillmentOrderLineItems ?? []).map((r) => ({ id: r.id, quantity: r.quantity })),
            source_location: { id: gid("Location", from) },
          },
        },
      ]);
      return {
        movedFulfillmentOrder: presentFulfillmentOrder(shop, moved),
        originalFulfillmentOrder: presentFulfillmentOrder(shop, fo),
        remainingFulfillmentOrder: moveAll ? null : presentFulfillmentOrder(shop, fo),
        userErrors: [],
      };
    },

    fulfillmentOrderHold: ({
      id,
      fulfillmentHold,
    }: {
      id: string;
      fulfillmentHold: { reason: string; reasonNotes?: string; handle?: string; fulfillmentOrderLineItems?: { id: string; quantity: number }[] };
    }) => {
      const none = { fulfillmentHold: null, fulfillmentOrder: null, remainingFulfillmentOrder: null };
      const fo = foById(id);
      if (!fo) return { ...none, userErrors: [userError("Fulfillment order not found.", ["id"], "FULFILLMENT_ORDER_NOT_FOUND")] };
      if (fo.status !== "OPEN" && fo.status !== "ON_HOLD" && fo.status !== "SCHEDULED")
        return { ...none, userErrors: [userError(`The fulfillment order's status is ${fo.status.toLowerCase()}, so it can't be held.`, ["id"])] };
      if (fo.holds.length >= 10)
        return {
          ...none,
          userErrors: [userError("The maximum number of holds for this fulfillment order has been reached.", ["id"], "FULFILLMENT_ORDER_HOLD_LIMIT_REACHED")],
        };
      if (fulfillmentHold.handle && fo.holds.some((h) => h.handle === fulfillmentHold.handle))
        return {
          ...none,
          userErrors: [userError("A hold with this handle already exists.", ["fulfillmentHold", "handle"], "DUPLICATE_FULFILLMENT_HOLD_HANDLE")],
        };
      const hold = {
        id: ctx.standIn.ids.next(),
        reason: fulfillmentHold.reason,
        reasonNotes: fulfillmentHold.reasonNotes ?? null,
        handle: fulfillmentHold.handle ?? null,
      };
      fo.holds.push(hold);
      const wasHeld = fo.status === "ON_HOLD";
      fo.status = "ON_HOLD";
      fo.updatedAt = ctx.now.toISOString();
      if (!wasHeld) {
        ctx.announce([{ topic: "fulfillment_orders/placed_on_hold", payload: placedOnHoldPayload(fo, hold) }]);
      }
      return {
        fulfillmentHold: {
          id: gid("FulfillmentHold", hold.id),
          reason: hold.reason,
          reasonNotes: hold.reasonNotes,
          handle: hold.handle,
          heldByRequestingApp: true,
        },
        fulfillmentOrder: presentFulfillmentOrder(shop, fo),
        remainingFulfillmentOrder: null,
        userErrors: [],
      };
    },

    fulfillmentOrderReleaseHold: ({ id, holdIds }: { id: string; holdIds?: string[] }) => {
      const fo = foById(id);
      if (!fo) return { fulfillmentOrder: null, userErrors: [userError("Fulfillment order not found.", ["id"], "FULFILLMENT_ORDER_NOT_FOUND")] };
      if (fo.status !== "ON_HOLD") return { fulfillmentOrder: null, userErrors: [userError("The fulfillment order is not on hold.", ["id"])] };
      fo.holds = holdIds?.length ? fo.holds.filter((h) => !holdIds.includes(gid("FulfillmentHold", h.id))) : [];
      if (fo.holds.length === 0) {
        fo.status = "OPEN";
        ctx.announce([{ topic: "fulfillment_orders/hold_released", payload: { fulfillment_order: foRef(fo) } }]);
      }
      fo.updatedAt = ctx.now.toISOString();
      return { fulfillmentOrder: presentFulfillmentOrder(shop, fo), userErrors: [] };
    },

    fulfillmentCreate: ({
      fulfillment,
    }: {
      fulfillment: {
        trackingInfo?: { company?: string; number?: string; url?: string };
        lineItemsByFulfillmentOrder: { fulfillmentOrderId: string; fulfillmentOrderLineItems?: { id: string; quantity: number }[] }[];
      };
    }) => {
      try {
        const requests = fulfillment.lineItemsByFulfillmentOrder.map((r) => {
          const fo = foById(r.fulfillmentOrderId);
          if (!fo) throw new StandInError("Fulfillment order does not exist.", "NOT_FOUND");
          return {
            fo,
            lines: r.fulfillmentOrderLineItems?.length
              ? r.fulfillmentOrderLineItems.map((l) => ({ foLineId: idOf("FulfillmentOrderLineItem", l.id) ?? -1, quantity: l.quantity }))
              : null,
          };
        });
        const t = fulfillment.trackingInfo;
        const { fulfillment: created, events } = fulfill(
          ctx.standIn,
          shop,
          requests,
          t ? { company: t.company ?? null, number: t.number ?? null, url: t.url ?? null } : null,
          ctx.now,
        );
        ctx.announce(events);
        return { fulfillment: presentFulfillment(shop, created), userErrors: [] };
      } catch (e) {
        if (e instanceof StandInError) return { fulfillment: null, userErrors: [userError(e.message, ["fulfillment"])] };
        throw e;
      }
    },

    orderUpdate: ({
      input,
    }: {
      input: { id: string; note?: string; tags?: string[]; email?: string; shippingAddress?: Record<string, string | undefined> };
    }) => {
      const order = shop.orders.get(idOf("Order", input.id) ?? -1);
      if (!order) return { order: null, userErrors: [userError("Order does not exist", ["id"])] };
      if (input.shippingAddress && [...shop.fulfillments.values()].some((f) => f.orderId === order.id && f.status === "SUCCESS")) {
        return { order: null, userErrors: [userError("Shipping address cannot be changed after the order has been fulfilled", ["shippingAddress"])] };
      }
      if (input.note !== undefined) order.note = input.note;
      if (input.tags) order.tags = input.tags;
      if (input.email) order.email = input.email;
      if (input.shippingAddress && order.shippingAddress) {
        const a = input.shippingAddress;
        order.shippingAddress = {
          ...order.shippingAddress,
          address1: a.address1 ?? order.shippingAddress.address1,
          address2: a.address2 ?? order.shippingAddress.address2,
          city: a.city ?? order.shippingAddress.city,
          provinceCode: a.provinceCode ?? order.shippingAddress.provinceCode,
          zip: a.zip ?? order.shippingAddress.zip,
          countryCode: a.countryCode ?? order.shippingAddress.countryCode,
          latitude: null,
          longitude: null,
        };
      }
      touch(order, ctx.now);
      ctx.announce([{ topic: "orders/updated", payload: orderPayload(shop, order, "orders/updated") }]);
      return { order: presentOrder(shop, order), userErrors: [] };
    },
  };
}
