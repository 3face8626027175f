import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { db } from "./client";
import { parseSourcingRow, sourcingColumns, type OrderForSourcing } from "./sourcing";

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

/**
 * A lease taken: its token, whether the order had a live routing decision then (read by the claim
 * itself), and, when asked for, a read ticket of the order's fulfilment groups taken by the same write.
 */
export type SourcingClaim = { token: string; routed: boolean; groupsTicket: number | null; order: OrderForSourcing | null };

/**
 * Takes the lease unless another pass holds a live one (then null). A lease is free when it has
 * lapsed, was released, or its pass has written its routing decision under it (the decision's
 * `leaseToken` is the lease's token: the pass's last write hands the order on, with no release of
 * its own — one statement less per routed order). The same statement (UPDATE …
 * RETURNING) says whether the order has a live routing decision: a routing pass needs to know that
 * first, under the lease, and need not read it again. A pass that held the lease before wrote its
 * decision before it released the lease, so a claim that finds the lease free finds that decision.
 * `groupsTicket`: the same write also takes the next read ticket of the order's fulfilment groups
 * (`startGroupsRead`'s increment), for a pass that will write groups from Shopify's answers to its
 * own changes: a ticket taken before those changes, as that write needs (a read that starts later
 * gets a higher one and wins; an extra ticket no write uses changes nothing). `sourcingRead`: the
 * same statement also returns the order's sourcing read (db/sourcing.ts, orderForSourcing) for that
 * day, taken as the lease is: a routing pass reads it first thing anyway.
 */
export async function claimSourcingLeaseWith(
  shop: string,
  orderId: string,
  clock: Clock = wallClock,
  opts: { groupsTicket?: boolean; sourcingRead?: Date } = {},
): Promise<SourcingClaim | null> {
  const now = clock();
  const token = randomUUID();
  const ticket = opts.groupsTicket ? Prisma.sql`, "groupsReadSeq" = "groupsReadSeq" + 1` : Prisma.empty;
  const read = opts.sourcingRead ? Prisma.sql`, ${sourcingColumns(shop, orderId, opts.sourcingRead, Prisma.sql`"Order"`)}` : Prisma.empty;
  const rows = await db().$queryRaw<({ routed: number | bigint | boolean; groupsReadSeq: number | bigint } & Record<string, unknown>)[]>`
    UPDATE "Order" SET "sourcingClaimedUntil" = ${new Date(now.getTime() + LEASE_MS)}, "sourcingClaimToken" = ${token}, "updatedAt" = ${new Date()}${ticket}
    WHERE "id" = ${orderId} AND "shop" = ${shop} AND ("sourcingClaimedUntil" IS NULL OR "sourcingClaimedUntil" < ${now} OR EXISTS (
      SELECT 1 FROM "RoutingDecision" h WHERE h."shop" = ${shop} AND h."orderId" = ${orderId} AND h."leaseToken" = "Order"."sourcingClaimToken"
    ))
    RETURNING CASE WHEN EXISTS (
      SELECT 1 FROM "RoutingDecision" d WHERE d."shop" = ${shop} AND d."orderId" = ${orderId} AND d."mode" = 'live'
    ) THEN 1 ELSE 0 END AS "routed", "groupsReadSeq"${read}`;
  const row = rows[0];
  return row
    ? {
        token,
        routed: Number(row.routed) === 1,
        groupsTicket: opts.groupsTicket ? Number(row.groupsReadSeq) : null,
        order: opts.sourcingRead ? parseSourcingRow(row) : null,
      }
    : null;
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
 * The lease as a pass holds it. `token`: what a live routing decision written under it carries
 * (`leaseToken`); `handedOn()`: says such a decision has been written (committed), so the lease is
 * free already and is not released (the claim reads it free: claimSourcingLeaseWith).
 */
export type SourcingLease = { routed: boolean; groupsTicket: number | null; order: OrderForSourcing | null; token: string; handedOn: () => void };

/**
 * Runs `fn` holding the order's sourcing lease, renewed every 1.5 s while it runs; `busy` when
 * another pass holds a live lease for longer than `waitMs` (a lease left by a dead pass expires
 * within LEASE_MS, so waiting a little longer than that takes it over). `fn` is told whether the
 * order had a live routing decision when the lease was taken, and the groups' read ticket the claim
 * took when `groupsTicket` (claimSourcingLeaseWith).
 */
export async function withSourcingLease<T>(
  shop: string,
  orderId: string,
  fn: (lease: SourcingLease) => Promise<T>,
  opts: { waitMs?: number; clock?: Clock; groupsTicket?: boolean; sourcingRead?: Date } = {},
): Promise<T | "busy"> {
  const clock = opts.clock ?? wallClock;
  const giveUpAt = Date.now() + (opts.waitMs ?? 0);
  const claimOpts = { groupsTicket: opts.groupsTicket, sourcingRead: opts.sourcingRead };
  let claim = await claimSourcingLeaseWith(shop, orderId, clock, claimOpts);
  while (!claim && Date.now() < giveUpAt) {
    await new Promise((r) => setTimeout(r, 250));
    claim = await claimSourcingLeaseWith(shop, orderId, clock, claimOpts);
  }
  if (!claim) return "busy";
  const held = claim.token;
  const { routed, groupsTicket, order } = claim;
  const heartbeat = setInterval(
    () => void renewSourcingLease(shop, orderId, held, clock).catch((e) => console.error(`sourcing lease on ${orderId}: renewal failed`, e)),
    HEARTBEAT_MS,
  );
  let handedOn = false;
  const lease: SourcingLease = {
    routed,
    groupsTicket,
    order,
    token: held,
    handedOn: () => {
      handedOn = true;
    },
  };
  try {
    return await fn(lease);
  } finally {
    clearInterval(heartbeat);
    if (!handedOn) await releaseSourcingLease(shop, orderId, held);
  }
}
