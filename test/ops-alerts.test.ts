// Alerts: an incident that raises many items sends one e-mail digest (through a real SMTP server)
// and one Slack-compatible webhook message, rate limited per shop, even with several workers
// sending at once; Flow triggers go to Shopify (the dev shop records them) once per event.
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { saveThresholds } from "~/.server/db/monitor-queries";
import { closeQueues } from "~/.server/queue/queues";
import { raiseException } from "~/.server/services/exceptions/raise-exception";
import { sendAlerts } from "~/.server/services/ops/send-alerts";
import { adminFor } from "~/.server/shopify/admin";
import { sendFlowTrigger } from "~/.server/shopify/flow";
import { DEFAULT_ALERTS, DEFAULT_THRESHOLDS } from "~/domain/ops/monitors";
import { devShop } from "./helpers/dev-shop";

const SHOP = "ops-alerts.myshopify.com";
const at = (m: number) => new Date(Date.UTC(2026, 11, 1, 9, m));

describe("alerts", { timeout: 60_000 }, () => {
  const mails: { to: string; body: string }[] = [];
  const hooks: unknown[] = [];
  let smtp: SMTPServer;
  let smtpUrl: string;
  let hook: http.Server;
  let standIn: Awaited<ReturnType<typeof devShop>>["standIn"];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      onData(stream, session, done) {
        let body = "";
        stream.on("data", (c: Buffer) => (body += c.toString()));
        stream.on("end", () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(","), body });
          done();
        });
      },
    });
    smtp.listen(0, "127.0.0.1");
    await once(smtp.server, "listening");
    smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
    hook = http.createServer((req, res) => {
      let b = "";
      req.on("data", (c) => (b += c));
      req.on("end", () => {
        hooks.push(JSON.parse(b));
        res.end("ok");
      });
    });
    hook.listen(0, "127.0.0.1");
    await once(hook, "listening");
    ({ standIn } = await devShop(SHOP));
    await saveThresholds(
      SHOP,
      {
        ...DEFAULT_THRESHOLDS,
        ...DEFAULT_ALERTS,
        alertEmail: "ops@example.com",
        alertWebhookUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/slack`,
        digestMinutes: 15,
      },
      "user:test",
      at(0),
      "test setup",
    );
  });
  afterAll(async () => {
    smtp.close();
    hook.close();
    await standIn.close();
    await closeQueues();
  });

  const flowCalls = async () =>
    ((await (await fetch(`${standIn.url}/_dev/shops/${SHOP}/flow-triggers`)).json()) as { calls: { handle: string; payload: Record<string, unknown> }[] })
      .calls;

  it("an incident of 60 items is one e-mail and one webhook message, even from three workers at once", async () => {
    for (let i = 0; i < 60; i++)
      await raiseException(
        {
          shop: SHOP,
          kind: i % 3 ? "dead_letter" : "stuck_before_allocation",
          severity: i % 3 ? "critical" : "warning",
          subjectKey: `s-${i}`,
          summary: `case ${i}`,
        },
        at(1),
      );
    const runs = await Promise.all([1, 2, 3].map(() => sendAlerts(SHOP, at(2), { smtpUrl })));
    const sent = (channel: string) =>
      runs
        .flat()
        .filter((r) => r.channel === channel)
        .reduce((n, r) => n + r.sent, 0);
    expect(sent("email")).toBe(1);
    expect(sent("webhook")).toBe(1);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toBe("ops@example.com");
    expect(mails[0]!.body).toContain("60 new exceptions (40 critical)");
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ text: expect.stringContaining("60 new exceptions"), blocks: expect.any(Array) });
    // Flow: one "exception raised" call per item, sent once across the three workers.
    const calls = await flowCalls();
    expect(calls.filter((c) => c.handle === "oms-exception-raised")).toHaveLength(60);
    // Items raised at the same instant have no order among them (PostgreSQL returns ties in any order).
    const case0 = calls.find((c) => (c.payload as { Summary?: string }).Summary === "case 0");
    expect(case0?.payload).toMatchObject({ Kind: "stuck_before_allocation", Severity: "warning", Summary: "case 0", "Order name": "" });
  });

  it("more items within the digest interval wait; the next digest lists only them", async () => {
    for (let i = 0; i < 5; i++)
      await raiseException({ shop: SHOP, kind: "stock_drift", severity: "warning", subjectKey: `d-${i}`, summary: `drift ${i}` }, at(5));
    const soon = await sendAlerts(SHOP, at(6), { smtpUrl });
    expect(soon.find((r) => r.channel === "email")).toMatchObject({ sent: 0, skipped: "rate limited: waits for the next digest" });
    expect(mails).toHaveLength(1);
    await sendAlerts(SHOP, at(18), { smtpUrl });
    expect(mails).toHaveLength(2);
    expect(mails[1]!.body).toContain("5 new exceptions");
    expect(hooks).toHaveLength(2);
    // Nothing new: nothing sent.
    await sendAlerts(SHOP, at(40), { smtpUrl });
    expect(mails).toHaveLength(2);
  });

  it("routing outcomes start the split and backordered Flow triggers with the order reference", async () => {
    const order = await db().order.create({
      data: {
        shop: SHOP,
        channel: "online_store",
        sourceId: "gid://shopify/Order/4242",
        name: "#4242",
        state: "sourced",
        currency: "USD",
        totalMinor: 100n,
        placedAt: at(0),
        sourceUpdatedAt: at(0),
      },
    });
    await db().routingDecision.create({
      data: {
        shop: SHOP,
        orderId: order.id,
        mode: "live",
        ruleSetId: "default",
        version: 0,
        outcome: "split",
        applied: "applied",
        shipments: 2,
        backordered: 1,
        plan: "{}",
        at: at(41),
      },
    });
    await sendAlerts(SHOP, at(42), { smtpUrl });
    const calls = await flowCalls();
    expect(calls.filter((c) => c.handle === "oms-shipment-split")).toEqual([expect.objectContaining({ payload: { order_id: 4242, Shipments: 2 } })]);
    expect(calls.filter((c) => c.handle === "oms-line-backordered")).toEqual([
      expect.objectContaining({ payload: { order_id: 4242, "Units backordered": 1 } }),
    ]);
  });

  it("Shopify refuses a trigger that is not deployed, or a payload that does not match its fields", async () => {
    const graphql = await adminFor(SHOP);
    expect(await sendFlowTrigger(graphql, "not-a-trigger", { x: 1 })).toMatchObject({ ok: false, message: expect.stringContaining("Invalid handle") });
    expect(await sendFlowTrigger(graphql, "oms-shipment-split", { order_id: 1 })).toMatchObject({
      ok: false,
      message: expect.stringContaining("missing fields: Shipments"),
    });
  });
});
