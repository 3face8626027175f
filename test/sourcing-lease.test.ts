// The sourcing lease (one routing or backorder-release pass per order): short, renewed while the
// pass runs, fenced by its token; and a routing job that died with its worker is picked up again
// and routed within seconds once a worker is running.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { orderForSourcing } from "~/.server/db/sourcing";
import { saveTestDecision } from "./helpers/decisions";
import { claimSourcingLease, claimSourcingLeaseWith, LEASE_MS, releaseSourcingLease, renewSourcingLease, withSourcingLease } from "~/.server/db/sourcing-lease";
import { routeOrder } from "~/.server/services/route-order";
import { closeQueues, enqueue, queue } from "~/.server/queue/queues";
import { startProcessing } from "~/.server/queue/worker";
import { processors } from "../jobs/processors";
import { ITEMS, LOCATIONS, seedOrder } from "./helpers/stock-scenarios";
import { startGroupsRead } from "~/.server/db/order-lock";
import { observeOnHand } from "~/.server/db/stock";
import { applyOrderRead } from "~/.server/services/sync-order";
import { waitFor } from "./helpers/wait";

const SHOP = "lease.myshopify.com";
const at = (ms: number) => () => new Date(Date.UTC(2026, 11, 1, 12) + ms);
const holder = async (orderId: string) => (await db().order.findUniqueOrThrow({ where: { id: orderId } })).sourcingClaimToken;

describe("the sourcing lease", () => {
  afterAll(async () => {
    await closeQueues();
  });

  it("a pass that outlived its lease can neither release nor renew the lease another pass took since", async () => {
    const orderId = await seedOrder(SHOP, 1);
    const stalled = (await claimSourcingLease(SHOP, orderId, at(0)))!;
    expect(await claimSourcingLease(SHOP, orderId, at(LEASE_MS - 1))).toBeNull();
    // The first pass stopped renewing (a stalled process); its lease lapsed and a second pass took the order.
    const second = (await claimSourcingLease(SHOP, orderId, at(LEASE_MS + 1)))!;
    expect(second).not.toBe(stalled);
    // The first pass wakes up and finishes: its release and renewal leave the second pass's lease alone.
    expect(await renewSourcingLease(SHOP, orderId, stalled, at(LEASE_MS + 2))).toBe(false);
    expect(await releaseSourcingLease(SHOP, orderId, stalled)).toBe(false);
    expect(await holder(orderId)).toBe(second);
    expect(await claimSourcingLease(SHOP, orderId, at(LEASE_MS + 3))).toBeNull();
    expect(await releaseSourcingLease(SHOP, orderId, second)).toBe(true);
    expect(await holder(orderId)).toBeNull();
  });

  it("the claim says whether the order has a live decision; a routing pass on a routed order changes nothing", async () => {
    const orderId = await seedOrder(SHOP, 4);
    const decision = (mode: "live" | "dry_run") => saveTestDecision({ shop: SHOP, orderId, mode });
    const first = (await claimSourcingLeaseWith(SHOP, orderId))!;
    expect(first.routed).toBe(false);
    expect(await claimSourcingLeaseWith(SHOP, orderId)).toBeNull();
    expect(await releaseSourcingLease(SHOP, orderId, first.token)).toBe(true);
    await decision("dry_run");
    expect(await withSourcingLease(SHOP, orderId, async (lease) => lease.routed)).toBe(false);
    await decision("live");
    expect(await withSourcingLease(SHOP, orderId, async (lease) => lease.routed)).toBe(true);
    // Another shop's order of the same id is not this one.
    expect(await claimSourcingLeaseWith("other-lease.myshopify.com", orderId)).toBeNull();
    expect(await routeOrder(SHOP, orderId, new Date())).toEqual({ outcome: "already routed", applied: "unchanged" });
    expect(await holder(orderId)).toBeNull();
  });

  it("a pass that wrote its live decision under the lease hands the order on: the lease is free with no release, and only that pass's token frees it", async () => {
    const orderId = await seedOrder(SHOP, 6);
    const decision = (leaseToken: string | null) => saveTestDecision({ shop: SHOP, orderId, leaseToken });
    const first = (await claimSourcingLease(SHOP, orderId, at(0)))!;
    // A decision written by no lease, or by another pass's lease, leaves this lease held.
    await decision(null);
    await decision("another-pass");
    expect(await claimSourcingLease(SHOP, orderId, at(1))).toBeNull();
    // The holder's decision frees it at once (long before it lapses), with the order still naming the holder.
    await decision(first);
    expect(await holder(orderId)).toBe(first);
    const second = (await claimSourcingLeaseWith(SHOP, orderId, at(2)))!;
    expect(second.routed).toBe(true);
    // The second lease is held as any other: the first pass cannot renew or release it, nor can a third pass take it.
    expect(await renewSourcingLease(SHOP, orderId, first, at(3))).toBe(false);
    expect(await releaseSourcingLease(SHOP, orderId, first)).toBe(false);
    expect(await claimSourcingLease(SHOP, orderId, at(4))).toBeNull();
    expect(await holder(orderId)).toBe(second.token);
    await releaseSourcingLease(SHOP, orderId, second.token);

    // withSourcingLease: a pass that says it handed the order on is not released (the order keeps its
    // token), and the next pass runs at once; one that did not write its decision is released as before.
    const token = await withSourcingLease(SHOP, orderId, async (lease) => {
      await decision(lease.token);
      lease.handedOn();
      return lease.token;
    });
    expect(await holder(orderId)).toBe(token);
    expect(await withSourcingLease(SHOP, orderId, async () => "next pass")).toBe("next pass");
    expect(await holder(orderId)).toBeNull();
  });

  it("a claim asked for the order's sourcing read returns what orderForSourcing reads, with the lease (one statement); a refused claim returns nothing", async () => {
    // An order with a fulfilment group holding 2 units at a level the OMS has observed.
    const orderId = await seedOrder(SHOP, 7);
    await observeOnHand(SHOP, ITEMS[0]!, LOCATIONS[0]!, "TEE", 5, new Date());
    const group = {
      sourceId: "gid://shopify/FulfillmentOrder/7",
      status: "OPEN",
      requestStatus: "UNSUBMITTED",
      locationId: LOCATIONS[0]!,
      locationName: "first",
      lines: [{ lineItemId: "li-7", sku: "TEE", inventoryItemId: ITEMS[0]!, quantity: 2, remaining: 2 }],
    };
    const p = { at: new Date(), actor: "test", source: "oms" as const, deliveryId: null };
    await applyOrderRead(
      SHOP,
      orderId,
      await startGroupsRead(SHOP, orderId),
      { updatedAt: new Date(), cancelledAt: null, fulfillments: [], groups: [group] },
      "test",
      p,
    );
    const day = new Date();
    const read = await orderForSourcing(SHOP, orderId, day);
    expect(read?.groups.length).toBeGreaterThan(0);
    expect(read?.levels.length).toBeGreaterThan(0);
    expect(read?.held).toEqual([{ inventoryItemId: ITEMS[0], locationId: LOCATIONS[0], reserved: 2 }]);
    const claim = (await claimSourcingLeaseWith(SHOP, orderId, undefined, { sourcingRead: day }))!;
    expect(claim.order).toEqual(read);
    expect(await claimSourcingLeaseWith(SHOP, orderId, undefined, { sourcingRead: day })).toBeNull();
    await releaseSourcingLease(SHOP, orderId, claim.token);
    expect((await claimSourcingLeaseWith(SHOP, orderId))!.order).toBeNull(); // not asked for
  });

  it("a claim asked for the groups' read ticket takes the next one with the lease (one write); without, the ticket stays", async () => {
    const orderId = await seedOrder(SHOP, 5);
    const seq = async () => (await db().order.findUniqueOrThrow({ where: { id: orderId }, select: { groupsReadSeq: true } })).groupsReadSeq;
    const before = await seq();
    const plain = (await claimSourcingLeaseWith(SHOP, orderId))!;
    expect(plain.groupsTicket).toBeNull();
    expect(await seq()).toBe(before);
    await releaseSourcingLease(SHOP, orderId, plain.token);
    const ticketed = (await claimSourcingLeaseWith(SHOP, orderId, undefined, { groupsTicket: true }))!;
    expect(ticketed.groupsTicket).toBe(before + 1);
    expect(await seq()).toBe(before + 1);
    // A claim refused (the lease is held) takes no ticket either.
    expect(await claimSourcingLeaseWith(SHOP, orderId, undefined, { groupsTicket: true })).toBeNull();
    expect(await seq()).toBe(before + 1);
    await releaseSourcingLease(SHOP, orderId, ticketed.token);
    expect(await withSourcingLease(SHOP, orderId, async (lease) => lease.groupsTicket, { groupsTicket: true })).toBe(before + 2);
  });

  it("is renewed while a pass runs longer than the lease, and free as soon as it ends", { timeout: 30_000 }, async () => {
    const orderId = await seedOrder(SHOP, 2);
    let tried: unknown = null;
    const result = await withSourcingLease(SHOP, orderId, async () => {
      await new Promise((r) => setTimeout(r, LEASE_MS + 2_000));
      // Well past the first expiry, the lease is still this pass's.
      tried = await withSourcingLease(SHOP, orderId, async () => "second pass ran");
      return "first pass done";
    });
    expect(result).toBe("first pass done");
    expect(tried).toBe("busy");
    expect(await withSourcingLease(SHOP, orderId, async () => "next pass")).toBe("next pass");
  });

  it("an order whose routing job died with its worker (SIGKILL) is routed within 10 s of a worker running again", { timeout: 60_000 }, async () => {
    const orderId = await seedOrder(SHOP, 3);
    const child = spawn(process.execPath, ["--no-warnings", "--import", "tsx", path.resolve(__dirname, "helpers/dying-router.ts")], {
      cwd: path.resolve(__dirname, ".."),
      env: process.env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    await waitFor(async () => out.includes("ready") || undefined, 20_000, "the first worker");
    await enqueue("routeOrder", { shop: SHOP, orderId });
    await waitFor(async () => out.includes(`routing ${orderId}`) || undefined, 20_000, "the first worker's routing pass");
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    expect(await holder(orderId)).not.toBeNull();

    // A worker is back (production's processors): the job is handed over and routed. The issue's
    // bound is the test's patience (by design: job lock 4 s + stalled check 2 s, lease 5 s, in parallel).
    const back = Date.now();
    startProcessing(processors);
    const routed = await waitFor(
      async () => (await queue("routing").getJob(`route-${SHOP}-${orderId}`))?.returnvalue ?? undefined,
      10_000,
      "the routing job to complete within 10 s",
    );
    console.log(`routing job handed over and completed ${((Date.now() - back) / 1000).toFixed(1)} s after the worker came back`);
    expect(routed).toEqual({ outcome: "nothing to route", applied: "unchanged" });
    expect(await holder(orderId)).toBeNull();
  });
});
