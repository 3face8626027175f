// fulfillmentOrderSplit, fulfillmentOrderMerge, fulfillmentOrdersReroute, orderCreate, metafieldsSet.
import { createHash } from "node:crypto";
import { gid, idOf } from "./gid";
import { moveQuantity, touch, type Announcement } from "./operations";
import { foRef, inventoryLevelPayload, orderPayload } from "./payloads";
import { presentFulfillmentOrder, presentOrder } from "./presenters";
import { routeOrder, type FulfillmentOrder, type Order, type ShopState } from "./store";
import type { StandIn } from "./standin";

type Ctx = { standIn: StandIn; shop: ShopState; now: Date; announce: (events: Announcement) => void };
const userError = (message: string, field: string[] = [], code?: string) => ({ message, field, ...(code ? { code } : {}) });
const SPLITTABLE = new Set(["OPEN", "IN_PROGRESS", "ON_HOLD", "SCHEDULED"]);

function newFo(ctx: Ctx, from: FulfillmentOrder, locationId = from.locationId): FulfillmentOrder {
  const at = ctx.now.toISOString();
  return {
    id: ctx.standIn.ids.next(),
    orderId: from.orderId,
    locationId,
    status: "OPEN",
    requestStatus: "UNSUBMITTED",
    lines: [],
    holds: [],
    createdAt: at,
    updatedAt: at,
  };
}

export function routingMutations(ctx: Ctx) {
  const { shop } = ctx;
  const foById = (id: string) => shop.fulfillmentOrders.get(idOf("FulfillmentOrder", id) ?? -1);

  return {
    fulfillmentOrderSplit: ({
      fulfillmentOrderSplits,
    }: {
      fulfillmentOrderSplits: { fulfillmentOrderId: string; fulfillmentOrderLineItems: { id: string; quantity: number }[] }[];
    }) => {
      const results = [];
      for (const [i, split] of fulfillmentOrderSplits.entries()) {
        const fo = foById(split.fulfillmentOrderId);
        if (!fo)
          return {
            fulfillmentOrderSplits: null,
            userErrors: [userError("Fulfillment order not found.", ["fulfillmentOrderSplits", String(i), "fulfillmentOrderId"], "FULFILLMENT_ORDER_NOT_FOUND")],
          };
        if (split.fulfillmentOrderLineItems.length === 0)
          return {
            fulfillmentOrderSplits: null,
            userErrors: [userError("No line items provided to split.", ["fulfillmentOrderSplits", String(i)], "NO_LINE_ITEMS_PROVIDED_TO_SPLIT")],
          };
        if (!SPLITTABLE.has(fo.status))
          return {
            fulfillmentOrderSplits: null,
            userErrors: [
              userError(
                `Fulfillment order is ${fo.status.toLowerCase()} and cannot be split.`,
                ["fulfillmentOrderSplits", String(i), "fulfillmentOrderId"],
                "FULFILLMENT_ORDER_NOT_FOUND",
              ),
            ],
          };
        const moving = split.fulfillmentOrderLineItems.map((r) => ({
          fl: fo.lines.find((l) => gid("FulfillmentOrderLineItem", l.id) === r.id),
          quantity: r.quantity,
        }));
        for (const m of moving) {
          if (!m.fl || m.quantity < 1)
            return {
              fulfillmentOrderSplits: null,
              userErrors: [
                userError("Invalid line item quantity.", ["fulfillmentOrderSplits", String(i), "fulfillmentOrderLineItems"], "INVALID_LINE_ITEM_QUANTITY"),
              ],
            };
          if (m.quantity > m.fl.remainingQuantity)
            return {
              fulfillmentOrderSplits: null,
              userErrors: [
                userError(
                  `Quantity must be less than or equal to ${m.fl.remainingQuantity}.`,
                  ["fulfillmentOrderSplits", String(i), "fulfillmentOrderLineItems"],
                  "GREATER_THAN",
                ),
              ],
            };
        }
        if (moving.reduce((n, m) => n + m.quantity, 0) >= fo.lines.reduce((n, l) => n + l.remainingQuantity, 0)) {
          return {
            fulfillmentOrderSplits: null,
            userErrors: [
              userError("Cannot split every remaining item into a new fulfillment order.", ["fulfillmentOrderSplits", String(i)], "INVALID_LINE_ITEM_QUANTITY"),
            ],
          };
        }
        // The requested items stay; the rest move to a new fulfillment order at the same location.
        const remaining = newFo(ctx, fo);
        remaining.status = fo.status === "ON_HOLD" ? "ON_HOLD" : "OPEN";
        remaining.holds = fo.status === "ON_HOLD" ? fo.holds.map((h) => ({ ...h })) : [];
        for (const fl of fo.lines) {
          const keep = moving.filter((m) => m.fl === fl).reduce((n, m) => n + m.quantity, 0);
          const rest = fl.remainingQuantity - keep;
          if (rest > 0) remaining.lines.push({ id: ctx.standIn.ids.next(), lineItemId: fl.lineItemId, totalQuantity: rest, remainingQuantity: rest });
          fl.totalQuantity -= rest;
          fl.remainingQuantity = keep;
        }
        fo.lines = fo.lines.filter((l) => l.totalQuantity > 0);
        fo.updatedAt = ctx.now.toISOString();
        shop.fulfillmentOrders.set(remaining.id, remaining);
        ctx.announce([
          {
            topic: "fulfillment_orders/split",
            payload: {
              split_line_items: split.fulfillmentOrderLineItems.map((l) => ({ id: l.id, quantity: l.quantity })),
              fulfillment_order: foRef(fo),
              remaining_fulfillment_order: foRef(remaining),
              replacement_fulfillment_order: null,
            },
          },
        ]);
        results.push({
          fulfillmentOrder: presentFulfillmentOrder(shop, fo),
          remainingFulfillmentOrder: presentFulfillmentOrder(shop, remaining),
          replacementFulfillmentOrder: null,
        });
      }
      return { fulfillmentOrderSplits: results, userErrors: [] };
    },

    fulfillmentOrderMerge: ({ fulfillmentOrderMergeInputs }: { fulfillmentOrderMergeInputs: { mergeIntents: { fulfillmentOrderId: string }[] }[] }) => {
      const merges = [];
      for (const input of fulfillmentOrderMergeInputs) {
        const fos = input.mergeIntents.map((m) => foById(m.fulfillmentOrderId));
        if (fos.some((f) => !f))
          return {
            fulfillmentOrderMerges: null,
            userErrors: [userError("Fulfillment order not found.", ["fulfillmentOrderMergeInputs"], "FULFILLMENT_ORDER_NOT_FOUND")],
          };
        const [target, ...rest] = fos as FulfillmentOrder[];
        if (!target || rest.length === 0)
          return {
            fulfillmentOrderMerges: null,
            userErrors: [userError("At least two fulfillment orders are needed to merge.", ["fulfillmentOrderMergeInputs"])],
          };
        if ([target, ...rest].some((f) => f.orderId !== target.orderId || f.locationId !== target.locationId || f.status !== "OPEN")) {
          return {
            fulfillmentOrderMerges: null,
            userErrors: [userError("Only open fulfillment orders of one order at one location can be merged.", ["fulfillmentOrderMergeInputs"])],
          };
        }
        for (const f of rest) {
          for (const fl of f.lines) {
            const same = target.lines.find((l) => l.lineItemId === fl.lineItemId);
            if (same) {
              same.totalQuantity += fl.remainingQuantity;
              same.remainingQuantity += fl.remainingQuantity;
            } else target.lines.push({ ...fl });
          }
          f.lines = [];
          f.status = "CLOSED";
          f.updatedAt = ctx.now.toISOString();
        }
        target.updatedAt = ctx.now.toISOString();
        ctx.announce([
          {
            topic: "fulfillment_orders/merged",
            payload: {
              merge_intents: input.mergeIntents.map((m) => ({
                fulfillment_order_id: idOf("FulfillmentOrder", m.fulfillmentOrderId),
                fulfillment_order_line_items: [],
              })),
              fulfillment_order_merges: { fulfillment_order: foRef(target) },
            },
          },
        ]);
        merges.push({ fulfillmentOrder: presentFulfillmentOrder(shop, target) });
      }
      return { fulfillmentOrderMerges: merges, userErrors: [] };
    },

    /** Re-runs native routing for open fulfillment orders of one order, within the allowed locations. */
    fulfillmentOrdersReroute: ({
      fulfillmentOrderIds,
      includedLocationIds,
      excludedLocationIds,
    }: {
      fulfillmentOrderIds: string[];
      includedLocationIds?: string[];
      excludedLocationIds?: string[];
    }) => {
      if (fulfillmentOrderIds.length === 0)
        return { movedFulfillmentOrders: null, userErrors: [userError("No fulfillment order ids.", ["fulfillmentOrderIds"], "NO_FULFILLMENT_ORDER_IDS")] };
      const fos = fulfillmentOrderIds.map(foById);
      if (fos.some((f) => !f))
        return {
          movedFulfillmentOrders: null,
          userErrors: [userError("Fulfillment order not found.", ["fulfillmentOrderIds"], "FULFILLMENT_ORDER_NOT_FOUND")],
        };
      const list = fos as FulfillmentOrder[];
      if (new Set(list.map((f) => f.orderId)).size > 1)
        return {
          movedFulfillmentOrders: null,
          userErrors: [userError("Fulfillment orders must belong to the same order.", ["fulfillmentOrderIds"], "FULFILLMENT_ORDERS_NOT_FROM_THE_SAME_ORDER")],
        };
      if (list.some((f) => f.status !== "OPEN"))
        return {
          movedFulfillmentOrders: null,
          userErrors: [userError("Only open fulfillment orders can be rerouted.", ["fulfillmentOrderIds"], "FULFILLMENT_ORDERS_STATE_NOT_SUPPORTED")],
        };
      const order = shop.orders.get(list[0]!.orderId)!;
      const allowed = (locationId: number) =>
        (!includedLocationIds?.length || includedLocationIds.includes(gid("Location", locationId))) &&
        !excludedLocationIds?.includes(gid("Location", locationId));
      // Release what these fulfillment orders hold, route again over the allowed locations.
      const lines = list.flatMap((f) =>
        f.lines.filter((l) => l.remainingQuantity > 0).map((l) => ({ fo: f, fl: l, li: order.lines.find((x) => x.id === l.lineItemId)! })),
      );
      for (const { fo, fl, li } of lines)
        if (li.variantId)
          moveQuantity(shop, shop.variants.get(li.variantId)!.inventoryItemId, fo.locationId, "committed", "available", fl.remainingQuantity, ctx.now);
      const view: ShopState = { ...shop, locations: new Map([...shop.locations].filter(([id]) => allowed(id))) };
      const plan = routeOrder(
        view,
        lines.map(({ fl, li }) => ({ inventoryItemId: shop.variants.get(li.variantId!)!.inventoryItemId, quantity: fl.remainingQuantity, key: fl.id })),
        order.shippingAddress,
      );
      if ("outOfStock" in plan) {
        for (const { fo, fl, li } of lines)
          if (li.variantId)
            moveQuantity(shop, shop.variants.get(li.variantId)!.inventoryItemId, fo.locationId, "available", "committed", fl.remainingQuantity, ctx.now);
        return {
          movedFulfillmentOrders: null,
          userErrors: [userError("No allowed location can fulfill these items.", ["fulfillmentOrderIds"], "CANNOT_REASSIGN_LOCATION_FOR_FULFILLMENT_ORDERS")],
        };
      }
      const moved: FulfillmentOrder[] = [];
      for (const [locationId, keys] of plan) {
        const target = newFo(ctx, list[0]!, locationId);
        for (const key of keys) {
          const { fl, li } = lines.find((x) => x.fl.id === key)!;
          target.lines.push({
            id: ctx.standIn.ids.next(),
            lineItemId: fl.lineItemId,
            totalQuantity: fl.remainingQuantity,
            remainingQuantity: fl.remainingQuantity,
          });
          if (li.variantId)
            moveQuantity(shop, shop.variants.get(li.variantId)!.inventoryItemId, locationId, "available", "committed", fl.remainingQuantity, ctx.now);
        }
        shop.fulfillmentOrders.set(target.id, target);
        moved.push(target);
      }
      for (const f of list) {
        f.status = "CLOSED";
        f.updatedAt = ctx.now.toISOString();
      }
      ctx.announce(moved.map((m) => ({ topic: "fulfillment_orders/order_routing_complete", payload: { fulfillment_order: foRef(m) } })));
      return { movedFulfillmentOrders: moved.map((m) => presentFulfillmentOrder(shop, m)), userErrors: [] };
    },

    /** Imports an order (e.g. from a marketplace): no idempotency in Shopify, so none here either. */
    orderCreate: ({
      order: input,
      options,
    }: {
      order: {
        lineItems?: { variantId?: string; sku?: string; title?: string; quantity: number; priceSet?: { shopMoney: { amount: string } } }[];
        email?: string;
        sourceName?: string;
        sourceIdentifier?: string;
        tags?: string[];
        financialStatus?: string;
        shippingAddress?: Record<string, string | undefined>;
        currency?: string;
      };
      options?: { inventoryBehaviour?: string };
    }) => {
      const lines = input.lineItems ?? [];
      if (lines.length === 0) return { order: null, userErrors: [userError("Line items can't be blank.", ["order", "lineItems"], "INVALID")] };
      const variants = [...shop.variants.values()];
      const resolved = [];
      for (const [i, l] of lines.entries()) {
        const v = l.variantId ? variants.find((x) => gid("ProductVariant", x.id) === l.variantId) : l.sku ? variants.find((x) => x.sku === l.sku) : undefined;
        if (l.variantId && !v) return { order: null, userErrors: [userError("Variant not found.", ["order", "lineItems", String(i), "variantId"], "INVALID")] };
        if (!v && !l.title)
          return { order: null, userErrors: [userError("A custom line item needs a title.", ["order", "lineItems", String(i), "title"], "INVALID")] };
        resolved.push({ v, l });
      }
      const a = input.shippingAddress;
      const number = shop.nextOrderNumber++;
      const order: Order = {
        id: ctx.standIn.ids.next(),
        number,
        name: `#${number}`,
        createdAt: ctx.now.toISOString(),
        updatedAt: ctx.now.toISOString(),
        cancelledAt: null,
        cancelReason: null,
        closedAt: null,
        email: input.email ?? null,
        currency: input.currency ?? shop.currencyCode,
        sourceName: input.sourceName ?? "api",
        sourceIdentifier: input.sourceIdentifier ?? null,
        tags: input.tags ?? [],
        note: null,
        customer: null,
        shippingAddress: a
          ? {
              firstName: a.firstName ?? null,
              lastName: a.lastName ?? null,
              company: a.company ?? null,
              address1: a.address1 ?? null,
              address2: a.address2 ?? null,
              city: a.city ?? null,
              provinceCode: a.provinceCode ?? null,
              zip: a.zip ?? null,
              countryCode: a.countryCode ?? null,
              phone: a.phone ?? null,
              latitude: null,
              longitude: null,
            }
          : null,
        shippingMethod: null,
        shippingMinor: 0,
        lines: resolved.map(({ v, l }) => ({
          id: ctx.standIn.ids.next(),
          variantId: v?.id ?? null,
          sku: v?.sku ?? l.sku ?? null,
          title: v ? `${shop.products.get(v.productId)?.title ?? ""} - ${v.title}` : l.title!,
          quantity: l.quantity,
          currentQuantity: l.quantity,
          priceMinor: l.priceSet ? Math.round(Number(l.priceSet.shopMoney.amount) * 100) : (v?.priceMinor ?? 0),
          requiresShipping: true,
        })),
        transactions: [],
        refunds: [],
      };
      if (input.financialStatus === "PAID")
        order.transactions.push({
          id: ctx.standIn.ids.next(),
          kind: "sale",
          status: "success",
          amountMinor: order.lines.reduce((n, l) => n + l.priceMinor * l.quantity, 0),
          gateway: "manual",
          createdAt: ctx.now.toISOString(),
        });
      shop.orders.set(order.id, order);
      const events: Announcement = [];
      const stocked = order.lines.filter((l) => l.variantId);
      if (stocked.length) {
        const plan = routeOrder(
          shop,
          stocked.map((l) => ({ inventoryItemId: shop.variants.get(l.variantId!)!.inventoryItemId, quantity: l.quantity, key: l.id })),
          order.shippingAddress,
        );
        const decrement = options?.inventoryBehaviour === "DECREMENT_IGNORING_POLICY" || options?.inventoryBehaviour === "DECREMENT_OBEYING_POLICY";
        if ("outOfStock" in plan && options?.inventoryBehaviour === "DECREMENT_OBEYING_POLICY") {
          shop.orders.delete(order.id);
          return { order: null, userErrors: [userError("Unable to reserve inventory.", ["order", "lineItems"], "INVENTORY_CLAIM_FAILED")] };
        }
        const assignments = "outOfStock" in plan ? new Map([[[...shop.locations.keys()][0]!, stocked.map((l) => l.id)]]) : plan;
        for (const [locationId, keys] of assignments) {
          const fo = newFo(ctx, { orderId: order.id, locationId } as FulfillmentOrder, locationId);
          for (const key of keys) {
            const li = order.lines.find((l) => l.id === key)!;
            fo.lines.push({ id: ctx.standIn.ids.next(), lineItemId: li.id, totalQuantity: li.quantity, remainingQuantity: li.quantity });
            if (decrement)
              events.push({
                topic: "inventory_levels/update",
                payload: inventoryLevelPayload(
                  moveQuantity(shop, shop.variants.get(li.variantId!)!.inventoryItemId, locationId, "available", "committed", li.quantity, ctx.now),
                ),
              });
          }
          shop.fulfillmentOrders.set(fo.id, fo);
          events.push({ topic: "fulfillment_orders/order_routing_complete", payload: { fulfillment_order: foRef(fo) } });
        }
      }
      touch(order, ctx.now);
      ctx.announce([{ topic: "orders/create", payload: orderPayload(shop, order, "orders/create") }, ...events]);
      return { order: presentOrder(shop, order), userErrors: [] };
    },

    /** Up to 25 metafields, atomically; compareDigest guards against lost updates. */
    metafieldsSet: ({
      metafields,
    }: {
      metafields: { ownerId: string; namespace?: string; key: string; value: string; type?: string; compareDigest?: string | null }[];
    }) => {
      if (metafields.length > 25)
        return { metafields: null, userErrors: [userError("Exceeded the maximum metafields input limit of 25.", ["metafields"], "LESS_THAN_OR_EQUAL_TO")] };
      const digest = (v: string) => createHash("sha256").update(v).digest("hex");
      for (const [i, m] of metafields.entries()) {
        const k = `${m.ownerId}|${m.namespace ?? "$app"}|${m.key}`;
        const existing = shop.metafields.get(k);
        if (!existing && !m.type)
          return { metafields: null, userErrors: [{ ...userError("Type can't be blank.", ["metafields", String(i), "type"], "BLANK"), elementIndex: i }] };
        if (m.compareDigest !== undefined && (m.compareDigest === null ? existing !== undefined : !existing || digest(existing.value) !== m.compareDigest)) {
          return {
            metafields: null,
            userErrors: [{ ...userError("The resource has been updated since it was loaded.", ["metafields", String(i)], "STALE_OBJECT"), elementIndex: i }],
          };
        }
      }
      const saved = metafields.map((m) => {
        const k = `${m.ownerId}|${m.namespace ?? "$app"}|${m.key}`;
        const existing = shop.metafields.get(k);
        const record = {
          ownerId: m.ownerId,
          namespace: m.namespace ?? "$app",
          key: m.key,
          type: m.type ?? existing!.type,
          value: m.value,
          updatedAt: ctx.now.toISOString(),
        };
        shop.metafields.set(k, record);
        return {
          __typename: "Metafield",
          id: gid("Metafield", Number.parseInt(digest(k).slice(0, 10), 16)),
          ...record,
          compareDigest: digest(record.value),
          createdAt: record.updatedAt,
        };
      });
      return { metafields: saved, userErrors: [] };
    },
  };
}
