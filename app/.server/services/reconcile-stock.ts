import { ordersWithOpenGroups } from "../db/orders";
import { heldByOrder, ledgerDrift, ordersWithReservations } from "../db/stock";
import { recordDrift, type DriftFinding } from "../db/stock-settings";
import { enqueue } from "../queue/queues";
import { adminFor } from "../shopify/admin";
import { pushAtp, refreshAllLevels } from "./inventory-sync";
import { syncOrderReservations } from "./order-stock";

export type ReconcileReport = { levels: number; ledgerDrift: number; ordersChecked: number; healed: number; exceptions: number; pushed: number };

/**
 * The full reconcile: re-read every level from Shopify, prove that the ledger explains every
 * balance, that every open order holds exactly what its fulfilment groups owe, and that Shopify's
 * available equals the OMS's ATP. What is safe to heal is healed (a missing or orphaned order
 * reservation, Shopify's available); a balance the ledger does not explain is never rewritten —
 * it is raised as an exception for a person, with its age.
 */
export async function reconcileStock(shop: string, now: Date, progress?: (percent: number) => Promise<unknown>): Promise<ReconcileReport> {
  const graphql = await adminFor(shop, "background");
  await progress?.(2);
  const { levels } = await refreshAllLevels(shop, now, graphql);
  await progress?.(40);
  const findings: DriftFinding[] = [];

  for (const d of await ledgerDrift(shop)) {
    const reservedOff = d.reserved !== d.ledger;
    findings.push({
      kind: "ledger_balance",
      key: `ledger_balance:${d.inventoryItemId}:${d.locationId}`,
      inventoryItemId: d.inventoryItemId,
      locationId: d.locationId,
      reference: null,
      expected: reservedOff ? d.ledger : d.ledgerOnHand,
      actual: reservedOff ? d.reserved : d.onHand,
      outcome: "exception",
      note: reservedOff ? "reserved differs from the ledger's reservations" : "on hand differs from the ledger's observations",
    });
  }

  const orderIds = [...new Set([...(await ordersWithOpenGroups(shop)), ...(await ordersWithReservations(shop))])] as string[];
  const provenance = { at: now, actor: "oms:stock-reconciler", source: "oms" as const, deliveryId: null };
  for (const [i, orderId] of orderIds.entries()) {
    if (i % 25 === 0) await progress?.(40 + (50 * i) / orderIds.length);
    const before = await heldByOrder(shop, orderId);
    const { applied, shortfalls } = await syncOrderReservations(shop, orderId, provenance);
    const held = (item: string, loc: string) => before.find((h) => h.inventoryItemId === item && h.locationId === loc)?.reserved ?? 0;
    for (const m of applied) {
      const kind = m.kind === "reserve" ? "missing_reservation" : "orphan_reservation";
      findings.push({
        kind,
        key: `${kind}:${orderId}:${m.inventoryItemId}:${m.locationId}`,
        inventoryItemId: m.inventoryItemId,
        locationId: m.locationId,
        reference: orderId,
        expected: held(m.inventoryItemId, m.locationId) + (m.kind === "reserve" ? m.quantity : -m.quantity),
        actual: held(m.inventoryItemId, m.locationId),
        outcome: "healed",
        note: `${m.kind} ${m.quantity}`,
      });
    }
    for (const s of shortfalls) {
      findings.push({
        kind: "missing_reservation",
        key: `missing_reservation:${orderId}:${s.inventoryItemId}:${s.locationId}`,
        inventoryItemId: s.inventoryItemId,
        locationId: s.locationId,
        reference: orderId,
        expected: held(s.inventoryItemId, s.locationId) + s.requested,
        actual: held(s.inventoryItemId, s.locationId),
        outcome: "exception",
        note: "not enough available to promise to reserve",
      });
    }
  }

  await progress?.(90);
  const push = await pushAtp(shop, now, undefined, graphql);
  if (push.moved) {
    findings.push({
      kind: "shopify_available",
      key: `shopify_available:${now.toISOString()}`,
      inventoryItemId: "",
      locationId: "",
      reference: null,
      expected: 0,
      actual: push.moved,
      outcome: "healed",
      note: `${push.moved} level(s) of Shopify available brought back to ATP`,
    });
  }
  await recordDrift(shop, findings, now);
  await progress?.(100);
  // Backorders whose stock arrived without an event the OMS saw are released here at the latest.
  await enqueue("releaseBackorders", { shop, reason: `reconcile-${now.getTime()}` });
  return {
    levels,
    ledgerDrift: findings.filter((f) => f.kind === "ledger_balance").length,
    ordersChecked: orderIds.length,
    healed: findings.filter((f) => f.outcome === "healed").length,
    exceptions: findings.filter((f) => f.outcome === "exception").length,
    pushed: push.moved,
  };
}
