// Receiving a return at a location, line by line, each unit with a disposition. The receipt is
// claimed first (a guarded write on the version it was planned from: a double click or a second
// person applies nothing), then told to Shopify (returnProcess: RESTOCKED back to available,
// NOT_RESTOCKED / PROCESSING_REQUIRED / MISSING), damaged and quality-control units are put into
// those inventory states (on hand, not available), and the levels are re-read so ATP and Shopify's
// available follow at once.
import { checkReceipt, DISPOSITIONS, INVENTORY_STATE, outstandingOf, restockAll, SHOPIFY_DISPOSITION, type Receipt } from "~/domain/returns/disposition";
import { canReceive, type ReturnStatus } from "~/domain/returns/status";
import { err, ok, type Result } from "~/domain/shared/result";
import { applyReceipts, findReturn, markExchangeReleased, orderForRefund, type LineReceipt } from "../../db/returns";
import { adminFor, type AdminGraphql } from "../../shopify/admin";
import { adjustStockState, processReturn, readReturn, releaseExchangeHolds, type ProcessLine } from "../../shopify/returns";
import { requestLevelSync } from "../inventory-sync";
import { enqueueSettlement, settlementIntentOf } from "./exchange-difference";
import { onTimeline, staffProvenance, type ReturnError } from "./shared";

export type LineReceiptInput = { lineId: string } & Receipt;
export type ReceiveCommand = { shop: string; returnId: string; version: number; locationId: string; receipts: LineReceiptInput[]; actor: string };

const counts = (r: Receipt): Omit<LineReceipt, "lineId"> => ({
  restocked: r.restock ?? 0,
  damaged: r.damaged ?? 0,
  qualityControl: r.quality_control ?? 0,
  missing: r.missing ?? 0,
});
const negate = (l: LineReceipt): LineReceipt => ({
  lineId: l.lineId,
  restocked: -l.restocked,
  damaged: -l.damaged,
  qualityControl: -l.qualityControl,
  missing: -l.missing,
});

export async function receiveReturn(cmd: ReceiveCommand, now: Date, graphql?: AdminGraphql): Promise<Result<{ received: number }, ReturnError>> {
  const r = await findReturn(cmd.shop, cmd.returnId);
  if (!r?.sourceId || !r.orderId) return err({ code: "NOT_FOUND" });
  if (!canReceive(r.status as ReturnStatus)) return err({ code: "INVALID", message: `a ${r.status.replace("_", " ")} return cannot be received` });
  if (r.version !== cmd.version) return err({ code: "CHANGED", message: "the return changed since you opened it (already received?)" });
  const planned: { line: (typeof r.lines)[number]; receipt: Receipt }[] = [];
  for (const input of cmd.receipts) {
    const line = r.lines.find((l) => l.id === input.lineId);
    if (!line) return err({ code: "INVALID", message: "a line is not on this return" });
    const { lineId: _, ...receipt } = input;
    if (DISPOSITIONS.every((d) => !receipt[d])) continue;
    const problem = checkReceipt(line, receipt);
    if (problem)
      return err({
        code: "INVALID",
        message:
          problem.code === "MORE_THAN_OUTSTANDING"
            ? `${line.sku ?? line.title}: ${problem.received} received but only ${problem.outstanding} expected`
            : `${line.sku ?? line.title}: quantities must be whole and not negative`,
      });
    planned.push({ line, receipt });
  }
  if (!planned.length) return err({ code: "INVALID", message: "nothing received" });
  const lineReceipts = planned.map((p) => ({ lineId: p.line.id, ...counts(p.receipt) }));
  // Every returned unit in with this receipt: an exchange's price difference is due (refunded once,
  // or recorded to collect, by its own job). Its intent is written with the claim, so a request that
  // dies after Shopify took the receipt still leaves it for the order watch to settle.
  const thisReceipt = new Map(planned.map(({ line, receipt }) => [line.id, DISPOSITIONS.reduce((n, d) => n + (receipt[d] ?? 0), 0)]));
  const completes = r.lines.every((l) => outstandingOf(l) - (thisReceipt.get(l.id) ?? 0) === 0);
  const intent = r.exchangeLines && completes ? settlementIntentOf(r, cmd.actor, now) : null;
  const claimed = await applyReceipts(
    r.id,
    cmd.version,
    lineReceipts,
    { status: "received", receivedAt: r.receivedAt ?? now, locationId: cmd.locationId },
    intent ? { record: intent } : undefined,
  );
  if (!claimed) return err({ code: "CHANGED", message: "the return changed meanwhile (already received?)" });

  const admin = graphql ?? (await adminFor(cmd.shop));
  const lines: ProcessLine[] = planned.map(({ line, receipt }) => ({
    returnLineItemId: line.returnLineItemId!,
    quantity: DISPOSITIONS.reduce((n, d) => n + (receipt[d] ?? 0), 0),
    dispositions: DISPOSITIONS.filter((d) => receipt[d]).map((d) => ({
      reverseLineItemId: line.reverseLineItemId!,
      quantity: receipt[d]!,
      locationId: cmd.locationId,
      type: SHOPIFY_DISPOSITION[d],
    })),
  }));
  // Shopify did not take it: the claim is given back (guarded on the version the claim left).
  const giveBack = () =>
    applyReceipts(
      r.id,
      cmd.version + 1,
      lineReceipts.map(negate),
      { status: r.status, receivedAt: r.receivedAt, locationId: r.locationId },
      intent ? { drop: { shop: cmd.shop, returnId: r.id } } : undefined,
    );
  let processed: Awaited<ReturnType<typeof processReturn>>;
  try {
    processed = await processReturn(admin, r.sourceId, lines, [], `Received by the OMS (${cmd.actor})`);
  } catch (e) {
    // No answer (returnProcess takes no idempotency key): Shopify's return says whether it took the
    // receipt. Not taken: given back, so the person can receive it again. Taken: carried on. Unknown
    // (the read fails too): the claim stands, as the safer of the two (never restocked twice).
    const sourceId = r.sourceId;
    const taken = await receiptTaken(admin, sourceId, planned).catch(() => null);
    if (taken === false) await giveBack();
    if (taken !== true) throw e;
    processed = { ok: true, status: "taken" };
  }
  if (!processed.ok) {
    await giveBack();
    return err({ code: "SHOPIFY_REFUSED", message: processed.message });
  }
  for (const state of ["damaged", "quality_control"] as const) {
    const changes = planned
      .filter((p) => p.receipt[state] && p.line.inventoryItemId)
      .map((p) => ({ inventoryItemId: p.line.inventoryItemId!, locationId: cmd.locationId, delta: p.receipt[state]! }));
    if (!changes.length) continue;
    const adjusted = await adjustStockState(admin, INVENTORY_STATE[state]!, changes, `return:${r.id}:v${cmd.version}:${state}`, `gid://oms/Return/${r.id}`);
    if (!adjusted.ok)
      await onTimeline(
        r.orderId,
        cmd.shop,
        `Return ${r.name}: ${state.replace("_", " ")} units could not be put in that inventory state: ${adjusted.message}`,
        `return:${r.sourceId}:v${cmd.version}:${state}-failed`,
        staffProvenance(cmd.actor, now),
      );
  }
  const levels = planned
    .filter((p) => p.line.inventoryItemId && (p.receipt.restock || p.receipt.damaged || p.receipt.quality_control))
    .map((p) => ({ inventoryItemId: p.line.inventoryItemId!, locationId: cmd.locationId }));
  if (levels.length) await requestLevelSync(cmd.shop, levels, now);

  const received = planned.reduce((n, p) => n + DISPOSITIONS.reduce((m, d) => m + (p.receipt[d] ?? 0), 0), 0);
  const what = planned
    .map(
      ({ line, receipt }) =>
        `${line.sku ?? line.title}: ${DISPOSITIONS.filter((d) => receipt[d])
          .map((d) => `${receipt[d]} ${d.replace("_", " ")}`)
          .join(", ")}`,
    )
    .join("; ");
  const p = staffProvenance(cmd.actor, now);
  await onTimeline(r.orderId, cmd.shop, `Return ${r.name} received at the warehouse — ${what}`, `return:${r.sourceId}:receipt:v${cmd.version}`, p, "location");
  // Exchange shipped on receipt: the first receipt releases Shopify's AWAITING_RETURN_ITEMS hold.
  if (r.exchangePolicy === "on_receipt" && !r.exchangeReleasedAt && (await markExchangeReleased(r.id, now))) {
    const order = await orderForRefund(cmd.shop, r.orderId);
    const released = order ? await releaseExchangeHolds(admin, order.sourceId) : { released: 0, errors: [] };
    if (released.released)
      await onTimeline(r.orderId, cmd.shop, `Exchange released to ship: the returned item was received`, `return:${r.sourceId}:exchange-released`, p);
  }
  if (intent) await enqueueSettlement(cmd.shop, r.id);
  return ok({ received });
}

/**
 * Whether Shopify's return shows this receipt processed: each received line's processed quantity
 * is what the OMS had counted before it plus this receipt (true), or still what it had counted
 * (false); anything else is not known (null).
 */
async function receiptTaken(
  admin: AdminGraphql,
  returnId: string,
  planned: readonly {
    line: { returnLineItemId: string | null; restocked: number; damaged: number; qualityControl: number; missing: number };
    receipt: Receipt;
  }[],
): Promise<boolean | null> {
  const ret = await readReturn(admin, returnId);
  if (!ret) return null;
  const processedOf = new Map(ret.returnLineItems.nodes.map((n) => [n.id, "processedQuantity" in n ? (n.processedQuantity ?? 0) : 0]));
  const states = planned.map(({ line, receipt }) => {
    const before = line.restocked + line.damaged + line.qualityControl + line.missing;
    const now = processedOf.get(line.returnLineItemId ?? "");
    const received = DISPOSITIONS.reduce((n, d) => n + (receipt[d] ?? 0), 0);
    return now === before + received ? "taken" : now === before ? "not_taken" : "unknown";
  });
  if (states.every((x) => x === "taken")) return true;
  if (states.every((x) => x === "not_taken")) return false;
  return null;
}

/** Bulk receive from the Returns page: every outstanding unit of each return restocked at one location. */
export async function receiveAllRestock(shop: string, returnIds: readonly string[], locationId: string, actor: string, now: Date, graphql?: AdminGraphql) {
  const results: { returnId: string; ok: boolean; message?: string }[] = [];
  for (const id of returnIds) {
    const r = await findReturn(shop, id);
    if (!r) {
      results.push({ returnId: id, ok: false, message: "not found" });
      continue;
    }
    const receipts = r.lines.filter((l) => outstandingOf(l) > 0).map((l) => ({ lineId: l.id, ...restockAll(l) }));
    const done = await receiveReturn({ shop, returnId: id, version: r.version, locationId, receipts, actor }, now, graphql);
    results.push(done.ok ? { returnId: id, ok: true } : { returnId: id, ok: false, message: "message" in done.error ? done.error.message : done.error.code });
  }
  return results;
}
