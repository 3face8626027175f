import { randomUUID } from "node:crypto";
import { db } from "./client";

/**
 * One sourcing pass per order at a time (routing, backorder release), across every worker: a lease
 * on the order row, taken with a guarded write. It is short and renewed by a heartbeat while the
 * pass runs, so a pass that died with its worker holds the order for at most `LEASE_MS`; and it is
 * fenced by a token, so a pass that outlived its lease (a stalled process) can neither renew nor
 * release the lease another pass has taken since. (Wall time: a lease is scheduling, not state.)
 */
export const LEASE_MS = 5_000;
const HEARTBEAT_MS = 1_500;

export type Clock = () => Date;
const wallClock: Clock = () => new Date();

/** A lease taken: its token, and whether the order had a live routing decision then (read by the claim itself). */
export type SourcingClaim = { token: string; routed: boolean };

/**
 * Takes the lease unless another pass holds a live one (then null). The same statement (UPDATE …
 * RETURNING) says whether the order has a live routing decision: a routing pass needs to know that
 * first, under the lease, and need not read it again. A pass that held the lease before wrote its
 * decision before it released the lease, so a claim that finds the lease free finds that decision.
 */
export async function claimSourcingLeaseWith(shop: string, orderId: string, clock: Clock = wallClock): Promise<SourcingClaim | null> {
  const now = clock();
  const token = randomUUID();
  const rows = await db().$queryRaw<{ routed: number | bigint | boolean }[]>`
    UPDATE "Order" SET "sourcingClaimedUntil" = ${new Date(now.getTime() + LEASE_MS)}, "sourcingClaimToken" = ${token}, "updatedAt" = ${new Date()}
    WHERE "id" = ${orderId} AND "shop" = ${shop} AND ("sourcingClaimedUntil" IS NULL OR "sourcingClaimedUntil" < ${now})
    RETURNING CASE WHEN EXISTS (
      SELECT 1 FROM "RoutingDecision" d WHERE d."shop" = ${shop} AND d."orderId" = ${orderId} AND d."mode" = 'live'
    ) THEN 1 ELSE 0 END AS "routed"`;
  const row = rows[0];
  return row ? { token, routed: Number(row.routed) === 1 } : null;
}

/** The lease's token, or null while another pass holds a live lease. */
export async function claimSourcingLease(shop: string, orderId: string, clock: Clock = wallClock): Promise<string | null> {
  return (await claimSourcingLeaseWith(shop, orderId, clock))?.token ?? null;
}

/** Extends the lease while `token` still holds it; false once another pass has taken it. */
export async function renewSourcingLease(shop: string, orderId: string, token: string, clock: Clock = wallClock): Promise<boolean> {
  const r = await db().order.updateMany({
    where: { id: orderId, shop, sourcingClaimToken: token },
    data: { sourcingClaimedUntil: new Date(clock().getTime() + LEASE_MS) },
  });
  return r.count === 1;
}

/** Gives the lease back, only if `token` still holds it. */
export async function releaseSourcingLease(shop: string, orderId: string, token: string): Promise<boolean> {
  const r = await db().order.updateMany({
    where: { id: orderId, shop, sourcingClaimToken: token },
    data: { sourcingClaimedUntil: null, sourcingClaimToken: null },
  });
  return r.count === 1;
}

/**
 * Runs `fn` holding the order's sourcing lease, renewed every 1.5 s while it runs; `busy` when
 * another pass holds a live lease for longer than `waitMs` (a lease left by a dead pass expires
 * within LEASE_MS, so waiting a little longer than that takes it over). `fn` is told whether the
 * order had a live routing decision when the lease was taken (claimSourcingLeaseWith).
 */
export async function withSourcingLease<T>(
  shop: string,
  orderId: string,
  fn: (lease: { routed: boolean }) => Promise<T>,
  opts: { waitMs?: number; clock?: Clock } = {},
): Promise<T | "busy"> {
  const clock = opts.clock ?? wallClock;
  const giveUpAt = Date.now() + (opts.waitMs ?? 0);
  let claim = await claimSourcingLeaseWith(shop, orderId, clock);
  while (!claim && Date.now() < giveUpAt) {
    await new Promise((r) => setTimeout(r, 250));
    claim = await claimSourcingLeaseWith(shop, orderId, clock);
  }
  if (!claim) return "busy";
  const held = claim.token;
  const routed = claim.routed;
  const heartbeat = setInterval(
    () => void renewSourcingLease(shop, orderId, held, clock).catch((e) => console.error(`sourcing lease on ${orderId}: renewal failed`, e)),
    HEARTBEAT_MS,
  );
  try {
    return await fn({ routed });
  } finally {
    clearInterval(heartbeat);
    await releaseSourcingLease(shop, orderId, held);
  }
}
