// Parcels that arrive without an order reference: received at a location with what the slip says,
// units put into stock at once (restocked, damaged or quality control), and held in the exception
// queue (unmatched_return, with its age) until a person confirms which order they came from.
// Nothing is refunded automatically: a refund is a separate staff action after the match.
import { explain, MATCH_WINDOW_DAYS, rankCandidates, type Candidate, type Slip } from "~/domain/returns/match";
import { err, ok, type Result } from "~/domain/shared/result";
import {
  attachParcelToReturn,
  candidateOrders,
  createReturnCase,
  findReturn,
  itemsBySku,
  orderForRefund,
  staleParcelMatches,
  transitionReturn,
  updateReturnLines,
  type ReturnRow,
} from "../../db/returns";
import { adminFor, type AdminGraphql } from "../../shopify/admin";
import { adjustStockState, fetchReturnables, openReturn, processReturn, readReturn, type ProcessLine, type ShopifyReturn } from "../../shopify/returns";
import { raiseException } from "../exceptions/raise-exception";
import { requestLevelSync } from "../inventory-sync";
import { linesFromShopify, onTimeline, staffProvenance, type ReturnError } from "./shared";

export type ParcelLineInput = { sku: string; quantity: number; disposition: "restock" | "damaged" | "quality_control" };
export type ParcelCommand = { shop: string; key: string; locationId: string; locationName: string; lines: ParcelLineInput[]; slip: Slip; actor: string };

const STATE = { restock: "available", damaged: "damaged", quality_control: "quality_control" } as const;

export async function receiveParcel(
  cmd: ParcelCommand,
  now: Date,
  graphql?: AdminGraphql,
): Promise<Result<{ returnId: string; replayed: boolean }, ReturnError>> {
  const lines = cmd.lines.filter((l) => l.quantity > 0);
  if (!lines.length) return err({ code: "INVALID", message: "a parcel needs at least one SKU and quantity" });
  if (lines.some((l) => !Number.isInteger(l.quantity))) return err({ code: "INVALID", message: "quantities are whole units" });
  const items = await itemsBySku(
    cmd.shop,
    lines.map((l) => l.sku),
  );
  const unknown = lines.filter((l) => !items.has(l.sku)).map((l) => l.sku);
  if (unknown.length) return err({ code: "INVALID", message: `unknown SKU ${unknown.join(", ")}` });
  const { id, created } = await createReturnCase({
    shop: cmd.shop,
    sourceId: `parcel:${cmd.key}`,
    name: cmd.slip.rma ? `Parcel ${cmd.slip.rma}` : `Parcel ${cmd.key.slice(-8)}`,
    status: "awaiting_match",
    slip: JSON.stringify(cmd.slip),
    locationId: cmd.locationId,
    requestedBy: cmd.actor,
    createdAt: now,
    receivedAt: now,
    lines: lines.map((l) => ({ sku: l.sku, inventoryItemId: items.get(l.sku)!, title: l.sku, quantity: l.quantity })),
  });
  const parcel = (await findReturn(cmd.shop, id))!;
  // Stock first time through (or again after a failure part-way: Shopify answers a repeated key with its first result).
  if (parcel.lines.every((l) => l.restocked + l.damaged + l.qualityControl === 0)) {
    const admin = graphql ?? (await adminFor(cmd.shop));
    for (const disposition of ["restock", "damaged", "quality_control"] as const) {
      const changes = lines
        .filter((l) => l.disposition === disposition)
        .map((l) => ({ inventoryItemId: items.get(l.sku)!, locationId: cmd.locationId, delta: l.quantity }));
      if (!changes.length) continue;
      const adjusted = await adjustStockState(admin, STATE[disposition], changes, `parcel:${cmd.key}:${disposition}`, `gid://oms/Parcel/${id}`);
      if (!adjusted.ok) return err({ code: "SHOPIFY_REFUSED", message: adjusted.message });
    }
    await updateReturnLines(
      parcel.lines.map((pl) => {
        const l = lines.find((x) => x.sku === pl.sku)!;
        return {
          id: pl.id,
          data: {
            restocked: l.disposition === "restock" ? l.quantity : 0,
            damaged: l.disposition === "damaged" ? l.quantity : 0,
            qualityControl: l.disposition === "quality_control" ? l.quantity : 0,
          },
        };
      }),
    );
    await requestLevelSync(
      cmd.shop,
      lines.map((l) => ({ inventoryItemId: items.get(l.sku)!, locationId: cmd.locationId })),
      now,
    );
  }
  const slipSays =
    [cmd.slip.name, cmd.slip.email, cmd.slip.phone, cmd.slip.tracking && `tracking ${cmd.slip.tracking}`, cmd.slip.rma && `RMA ${cmd.slip.rma}`]
      .filter(Boolean)
      .join(", ") || "nothing";
  await raiseException(
    {
      shop: cmd.shop,
      kind: "unmatched_return",
      severity: "warning",
      subjectKey: id,
      summary: `Parcel received at ${cmd.locationName} with ${lines.map((l) => `${l.quantity} × ${l.sku}`).join(", ")} and no order reference (slip: ${slipSays})`,
      data: { returnId: id, slip: cmd.slip, lines },
    },
    now,
  );
  return ok({ returnId: id, replayed: !created });
}

export type ExplainedCandidate = Candidate & { explanation: string };

export async function parcelCandidates(shop: string, returnId: string, now: Date): Promise<ExplainedCandidate[] | null> {
  const r = await findReturn(shop, returnId);
  if (!r || r.status !== "awaiting_match") return null;
  const slip = (r.slip ? JSON.parse(r.slip) : {}) as Slip;
  const parcelLines = r.lines.map((l) => ({ sku: l.sku ?? "", quantity: l.quantity }));
  const orders = await candidateOrders(
    shop,
    parcelLines.map((l) => l.sku),
    slip.email ?? null,
    new Date(now.getTime() - MATCH_WINDOW_DAYS * 86_400_000),
  );
  return rankCandidates({ slip, lines: parcelLines }, orders, now).map((c) => ({ ...c, explanation: explain(c) }));
}

export type MatchCommand = { shop: string; returnId: string; version: number; orderId: string; actor: string };

/**
 * A person confirms the parcel's order: a Shopify return is created for its units (the units are
 * already in stock, so Shopify is told NOT_RESTOCKED / PROCESSING_REQUIRED to not count them twice),
 * the exception is cleared, and nothing is refunded.
 */
export async function confirmParcelMatch(cmd: MatchCommand, now: Date, graphql?: AdminGraphql): Promise<Result<{ returnName: string }, ReturnError>> {
  const r = await findReturn(cmd.shop, cmd.returnId);
  if (!r) return err({ code: "NOT_FOUND" });
  if (r.status !== "awaiting_match") return err({ code: "INVALID", message: "this parcel is already matched" });
  if (r.version !== cmd.version) return err({ code: "CHANGED", message: "the parcel changed since you opened it" });
  const order = await orderForRefund(cmd.shop, cmd.orderId);
  if (!order) return err({ code: "NOT_FOUND" });
  const admin = graphql ?? (await adminFor(cmd.shop));
  const returnables = await fetchReturnables(admin, order.sourceId);
  if (!returnables) return err({ code: "NOT_FOUND" });
  // Allocate each parcel line to the order's fulfilled, not-yet-returned units of that SKU.
  const left = new Map(returnables.fulfilled.map((f) => [f.fulfillmentLineItemId, f.quantity - (returnables.returned.get(f.fulfillmentLineItemId) ?? 0)]));
  const wanted: { fulfillmentLineItemId: string; quantity: number; sku: string }[] = [];
  for (const l of r.lines) {
    let need = l.quantity;
    for (const f of returnables.fulfilled.filter((x) => x.sku === l.sku)) {
      const take = Math.min(need, left.get(f.fulfillmentLineItemId) ?? 0);
      if (take <= 0) continue;
      wanted.push({ fulfillmentLineItemId: f.fulfillmentLineItemId, quantity: take, sku: l.sku ?? "" });
      left.set(f.fulfillmentLineItemId, (left.get(f.fulfillmentLineItemId) ?? 0) - take);
      need -= take;
    }
    if (need > 0)
      return err({
        code: "INVALID",
        message: `${order.name} has only ${l.quantity - need} unit(s) of ${l.sku} shipped and not yet returned; the parcel has ${l.quantity}`,
      });
  }
  // Claim the parcel (a second person confirming at the same moment gets CHANGED).
  if (!(await transitionReturn(r.id, ["awaiting_match"], cmd.version, { status: "matching", orderId: order.id, orderName: order.name })))
    return err({ code: "CHANGED", message: "the parcel changed meanwhile" });
  const release = () => transitionReturn(r.id, ["matching"], cmd.version + 1, { status: "awaiting_match", orderId: null, orderName: null });
  const opened = await openReturn(admin, "create", {
    orderId: order.sourceId,
    lines: wanted.map((w) => ({
      fulfillmentLineItemId: w.fulfillmentLineItemId,
      quantity: w.quantity,
      restockingFeePercent: 0,
      note: `Parcel ${r.name} received without an order reference`,
    })),
    exchange: [],
    shippingFee: null,
  });
  if (!opened.ok) {
    await release();
    return err({ code: "SHOPIFY_REFUSED", message: opened.message });
  }
  // The Shopify return is recorded on the parcel at once (returnCreate takes no idempotency key): a
  // run that stops after this is finished from it by the order watch (resumeParcelMatches), and the
  // return's own webhooks find it known instead of waiting on the match.
  if (!(await transitionReturn(r.id, ["matching"], cmd.version + 1, { sourceId: opened.ret.id, name: opened.ret.name })))
    return err({ code: "CHANGED", message: "the parcel changed meanwhile" });
  return finishParcelMatch(cmd.shop, { ...r, version: cmd.version + 2 }, order, opened.ret, cmd.actor, now, admin);
}

/**
 * The rest of a match once its Shopify return exists: Shopify is told how the units were already
 * put into stock (lines it has not processed yet), and the parcel becomes that return, with its
 * unmatched_return item resolved in the same write.
 */
async function finishParcelMatch(
  shop: string,
  r: ReturnRow,
  order: { id: string; name: string; currency: string },
  ret: ShopifyReturn,
  actor: string,
  now: Date,
  admin: AdminGraphql,
): Promise<Result<{ returnName: string }, ReturnError>> {
  const shopifyLines = linesFromShopify(ret, order.currency);
  const processedOf = new Map(ret.returnLineItems.nodes.map((n) => [n.id, "processedQuantity" in n ? (n.processedQuantity ?? 0) : 0]));
  // Each Shopify line takes its disposition from the parcel line of its SKU, in order.
  const pool = new Map(r.lines.map((l) => [l.sku ?? "", { restock: l.restocked, damaged: l.damaged, qc: l.qualityControl }]));
  const process: ProcessLine[] = [];
  const newLines = shopifyLines.map((sl) => {
    const p = pool.get(sl.sku ?? "") ?? { restock: 0, damaged: 0, qc: 0 };
    const restocked = Math.min(sl.quantity, p.restock);
    const damaged = Math.min(sl.quantity - restocked, p.damaged);
    const qualityControl = sl.quantity - restocked - damaged;
    pool.set(sl.sku ?? "", { restock: p.restock - restocked, damaged: p.damaged - damaged, qc: p.qc - qualityControl });
    const dispositions: ProcessLine["dispositions"] = [];
    if (restocked + damaged)
      dispositions.push({ reverseLineItemId: sl.reverseLineItemId!, quantity: restocked + damaged, locationId: r.locationId, type: "NOT_RESTOCKED" });
    if (qualityControl)
      dispositions.push({ reverseLineItemId: sl.reverseLineItemId!, quantity: qualityControl, locationId: r.locationId, type: "PROCESSING_REQUIRED" });
    // A resumed match: a line Shopify has processed already is not told again.
    if (!processedOf.get(sl.returnLineItemId)) process.push({ returnLineItemId: sl.returnLineItemId, quantity: sl.quantity, dispositions });
    return { ...sl, restocked, damaged, qualityControl };
  });
  if (process.length) {
    const processed = await processReturn(admin, ret.id, process, [], `Units were put into stock by the OMS when parcel ${r.name} arrived`);
    if (!processed.ok) return err({ code: "SHOPIFY_REFUSED", message: `return ${ret.name} was created but not processed: ${processed.message}` });
  }
  const attached = await attachParcelToReturn(
    r.id,
    r.version,
    {
      status: "received",
      sourceId: ret.id,
      name: ret.name,
      reverseFulfillmentOrderId: ret.reverseFulfillmentOrders.nodes[0]?.id ?? null,
      currency: order.currency,
    },
    newLines,
    { shop, by: actor, resolution: `matched to ${order.name} (return ${ret.name})`, at: now },
  );
  if (!attached) return err({ code: "CHANGED", message: "the parcel changed meanwhile" });
  await onTimeline(
    order.id,
    shop,
    `Parcel ${r.name} matched to this order by ${actor}: return ${ret.name}, ${r.lines.map((l) => `${l.quantity} × ${l.sku}`).join(", ")} already in stock; not refunded`,
    `return:${ret.id}:matched`,
    staffProvenance(actor, now),
  );
  return ok({ returnName: ret.name });
}

const RESUME_ACTOR = "oms:order-watch";

/**
 * The order watch: parcel matches whose run stopped (still "matching" after `olderThanMs`). One
 * whose Shopify return was recorded is finished from it; one stopped before that is given back to
 * the match queue, its item saying so (Shopify may hold a return the run opened: check before
 * matching again).
 */
export async function resumeParcelMatches(now: Date, olderThanMs = 10 * 60_000, graphql?: AdminGraphql): Promise<number> {
  let resumed = 0;
  for (const stale of await staleParcelMatches(new Date(now.getTime() - olderThanMs))) {
    const r = await findReturn(stale.shop, stale.id);
    if (!r || r.status !== "matching") continue;
    const order = r.orderId ? await orderForRefund(r.shop, r.orderId) : null;
    // Until the match records Shopify's return, the parcel's sourceId is its own key (parcel:<key>).
    const shopifyReturnId = r.sourceId?.startsWith("gid://shopify/Return/") ? r.sourceId : null;
    if (shopifyReturnId && order) {
      const admin = graphql ?? (await adminFor(r.shop));
      const ret = await readReturn(admin, shopifyReturnId);
      const done = ret ? await finishParcelMatch(r.shop, r, order, ret, RESUME_ACTOR, now, admin) : null;
      if (done?.ok) {
        resumed++;
        continue;
      }
      await raiseException(
        {
          shop: r.shop,
          kind: "unmatched_return",
          severity: "warning",
          subjectKey: r.id,
          summary: `Parcel ${r.name}: its match to ${r.orderName ?? "an order"} stopped after Shopify return ${r.name ?? r.sourceId} was opened, and could not be finished: ${done ? ("message" in done.error ? done.error.message : done.error.code) : "the return is not in Shopify"}`,
          data: { returnId: r.id, shopifyReturnId },
        },
        now,
      );
      continue;
    }
    if (await transitionReturn(r.id, ["matching"], r.version, { status: "awaiting_match", orderId: null, orderName: null })) {
      await raiseException(
        {
          shop: r.shop,
          kind: "unmatched_return",
          severity: "warning",
          subjectKey: r.id,
          summary: `Parcel ${r.name}: its match to ${r.orderName ?? "an order"} stopped before it was recorded. Check that order's returns in Shopify for one opened for this parcel before matching it again.`,
          data: { returnId: r.id, interruptedOrder: r.orderName },
        },
        now,
      );
      resumed++;
    }
  }
  return resumed;
}
