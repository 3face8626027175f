import type { DigestItem, DigestState } from "~/domain/ops/digest";
import { db } from "./client";
import { isUniqueViolation } from "./orders";

export async function readDigest(shop: string, channel: string): Promise<DigestState> {
  const row = await db().alertDigest.findUnique({ where: { shop_channel: { shop, channel } } });
  return row ? { watermark: row.watermark, lastSentAt: row.lastSentAt } : null;
}

/**
 * Claims the right to send the next digest: moves the watermark from what was read to `to`. Only
 * one of several workers racing for the same digest wins (the update is guarded on the row as read;
 * the first digest on a unique key).
 */
export async function claimDigest(shop: string, channel: string, from: DigestState, to: { watermark: Date; lastSentAt: Date }): Promise<boolean> {
  if (!from) {
    try {
      await db().alertDigest.create({ data: { shop, channel, ...to, sent: 1 } });
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }
  const { count } = await db().alertDigest.updateMany({
    where: { shop, channel, watermark: from.watermark, lastSentAt: from.lastSentAt },
    data: { ...to, sent: { increment: 1 } },
  });
  return count === 1;
}

/** Gives a claim back after the message could not be sent, so the next pass sends it. */
export async function releaseDigest(shop: string, channel: string, claimed: { watermark: Date; lastSentAt: Date }, back: DigestState): Promise<void> {
  if (!back) {
    await db().alertDigest.deleteMany({ where: { shop, channel, watermark: claimed.watermark, lastSentAt: claimed.lastSentAt } });
    return;
  }
  await db().alertDigest.updateMany({
    where: { shop, channel, watermark: claimed.watermark, lastSentAt: claimed.lastSentAt },
    data: { ...back, sent: { decrement: 1 } },
  });
}

/** Critical and warning items raised (or reopened) after `after` that are still open, oldest first. */
export async function raisedSince(shop: string, after: Date | null, take = 1000): Promise<(DigestItem & { orderId: string | null; subjectKey: string })[]> {
  return db().opsException.findMany({
    where: { shop, status: "open", severity: { in: ["critical", "warning"] }, ...(after ? { raisedAt: { gt: after } } : {}) },
    select: { id: true, kind: true, severity: true, summary: true, raisedAt: true, orderId: true, subjectKey: true },
    orderBy: { raisedAt: "asc" },
    take,
  });
}

export async function digestRows(shop: string) {
  return db().alertDigest.findMany({ where: { shop } });
}

/** Live routing decisions with the given outcomes after `after` (Flow triggers: split, backordered). */
export async function routingOutcomesSince(shop: string, after: Date | null, take = 200) {
  return db().routingDecision.findMany({
    where: { shop, mode: "live", outcome: { in: ["split", "backordered"] }, applied: "applied", ...(after ? { at: { gt: after } } : {}) },
    select: { id: true, orderId: true, outcome: true, shipments: true, backordered: true, at: true },
    orderBy: { at: "asc" },
    take,
  });
}

export async function orderSourceIds(ids: readonly string[]): Promise<Map<string, { sourceId: string; name: string }>> {
  const rows = await db().order.findMany({ where: { id: { in: [...ids] } }, select: { id: true, sourceId: true, name: true } });
  return new Map(rows.map((r) => [r.id, { sourceId: r.sourceId, name: r.name }]));
}
