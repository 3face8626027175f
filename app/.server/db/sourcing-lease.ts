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

/** The lease's token, or null while another pass holds a live lease. */
export async function claimSourcingLease(shop: string, orderId: string, clock: Clock = wallClock): Promise<string | null> {
  const now = clock();
  const token = randomUUID();
  const r = await db().order.updateMany({
    where: { id: orderId, shop, OR: [{ sourcingClaimedUntil: null }, { sourcingClaimedUntil: { lt: now } }] },
    data: { sourcingClaimedUntil: new Date(now.getTime() + LEASE_MS), sourcingClaimToken: token },
  });
  return r.count === 1 ? token : null;
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
 * within LEASE_MS, so waiting a little longer than that takes it over).
 */
export async function withSourcingLease<T>(
  shop: string,
  orderId: string,
  fn: () => Promise<T>,
  opts: { waitMs?: number; clock?: Clock } = {},
): Promise<T | "busy"> {
  const clock = opts.clock ?? wallClock;
  const giveUpAt = Date.now() + (opts.waitMs ?? 0);
  let token = await claimSourcingLease(shop, orderId, clock);
  while (!token && Date.now() < giveUpAt) {
    await new Promise((r) => setTimeout(r, 250));
    token = await claimSourcingLease(shop, orderId, clock);
  }
  if (!token) return "busy";
  const held = token;
  const heartbeat = setInterval(
    () => void renewSourcingLease(shop, orderId, held, clock).catch((e) => console.error(`sourcing lease on ${orderId}: renewal failed`, e)),
    HEARTBEAT_MS,
  );
  try {
    return await fn();
  } finally {
    clearInterval(heartbeat);
    await releaseSourcingLease(shop, orderId, held);
  }
}
