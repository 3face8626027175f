import nodemailer from "nodemailer";
import { composeDigest, digestDue, type DigestState } from "~/domain/ops/digest";
import { claimDigest, orderSourceIds, raisedSince, readDigest, releaseDigest, routingOutcomesSince } from "../../db/alert-digests";
import { readThresholds } from "../../db/monitor-queries";
import { env } from "../../env";
import { log } from "../../log";
import { adminFor } from "../../shopify/admin";
import { FLOW_TRIGGERS, sendFlowTrigger } from "../../shopify/flow";

export type AlertOutcome = { channel: string; sent: number; skipped?: string; error?: string };

/** Per pass, at most this many Flow trigger calls per channel; the rest go in the next pass. */
const FLOW_BATCH = 100;

const numericId = (gid: string) => gid.split("/").pop() ?? gid;
/** Flow's order reference is the numeric id; one above 2^53 cannot be a JSON number exactly, so it goes as a string. */
const flowOrderId = (gid: string) => {
  const n = numericId(gid);
  return BigInt(n) <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
};

/**
 * Sends what changed since each channel's watermark: one digest per e-mail and webhook channel (rate
 * limited per shop), and one Flow trigger per event. Each channel claims its batch with a guarded
 * move of its watermark first, so several workers never send the same thing twice; a send that
 * fails gives the claim back and is retried on the next pass.
 */
export async function sendAlerts(shop: string, now: Date, deps: { fetchImpl?: typeof fetch; smtpUrl?: string } = {}): Promise<AlertOutcome[]> {
  const settings = await readThresholds(shop);
  const out: AlertOutcome[] = [];
  const queueUrl = `${env().SHOPIFY_APP_URL}/app/exceptions`;
  const smtpUrl = deps.smtpUrl ?? env().SMTP_URL;

  const digestChannels: { channel: string; send: ((d: ReturnType<typeof composeDigest>) => Promise<void>) | null; why?: string }[] = [
    {
      channel: "email",
      send:
        settings.alertEmail && smtpUrl
          ? async (d) => {
              const transport = nodemailer.createTransport(smtpUrl);
              await transport.sendMail({ from: env().ALERT_FROM, to: settings.alertEmail!, subject: d.subject, text: d.text });
            }
          : null,
      why: !settings.alertEmail ? "no alert e-mail set" : "SMTP_URL not configured",
    },
    {
      channel: "webhook",
      send: settings.alertWebhookUrl
        ? async (d) => {
            const res = await (deps.fetchImpl ?? fetch)(settings.alertWebhookUrl!, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify(d.slack),
              signal: AbortSignal.timeout(5_000),
            });
            if (!res.ok) throw new Error(`webhook answered ${res.status}`);
          }
        : null,
      why: "no webhook URL set",
    },
  ];

  for (const c of digestChannels) {
    if (!c.send) {
      out.push({ channel: c.channel, sent: 0, skipped: c.why });
      continue;
    }
    const state = await readDigest(shop, c.channel);
    const items = await raisedSince(shop, state?.watermark ?? null);
    const newest = items.at(-1)?.raisedAt ?? null;
    if (!digestDue(state, newest, now, settings.digestMinutes)) {
      out.push({ channel: c.channel, sent: 0, skipped: newest ? "rate limited: waits for the next digest" : "nothing new" });
      continue;
    }
    const claim = { watermark: newest!, lastSentAt: now };
    if (!(await claimDigest(shop, c.channel, state, claim))) {
      out.push({ channel: c.channel, sent: 0, skipped: "another worker sent it" });
      continue;
    }
    try {
      await c.send(composeDigest(shop, items, queueUrl));
      out.push({ channel: c.channel, sent: 1 });
    } catch (e) {
      await releaseDigest(shop, c.channel, claim, state);
      out.push({ channel: c.channel, sent: 0, error: e instanceof Error ? e.message : String(e) });
    }
  }

  out.push(await flowForExceptions(shop, now));
  out.push(await flowForRouting(shop, now));
  return out;
}

async function flowBatch<T extends { at: Date }>(
  shop: string,
  channel: string,
  now: Date,
  load: (after: Date | null) => Promise<T[]>,
  send: (batch: T[]) => Promise<number>,
): Promise<AlertOutcome> {
  const state: DigestState = await readDigest(shop, channel);
  const batch = (await load(state?.watermark ?? null)).slice(0, FLOW_BATCH);
  if (batch.length === 0) return { channel, sent: 0, skipped: "nothing new" };
  const claim = { watermark: batch.at(-1)!.at, lastSentAt: now };
  if (!(await claimDigest(shop, channel, state, claim))) return { channel, sent: 0, skipped: "another worker sent it" };
  try {
    return { channel, sent: await send(batch) };
  } catch (e) {
    await releaseDigest(shop, channel, claim, state);
    return { channel, sent: 0, error: e instanceof Error ? e.message : String(e) };
  }
}

async function flowForExceptions(shop: string, now: Date): Promise<AlertOutcome> {
  return flowBatch(
    shop,
    "flow-exceptions",
    now,
    async (after) => (await raisedSince(shop, after, FLOW_BATCH)).map((i) => ({ ...i, at: i.raisedAt })),
    async (batch) => {
      const graphql = await adminFor(shop, "background");
      const orders = await orderSourceIds(batch.map((i) => i.orderId).filter((id): id is string => Boolean(id)));
      let sent = 0;
      for (const i of batch) {
        const order = i.orderId ? orders.get(i.orderId) : undefined;
        const r = await sendFlowTrigger(graphql, FLOW_TRIGGERS.exceptionRaised, {
          Kind: i.kind,
          Severity: i.severity,
          Summary: i.summary,
          "Order name": order?.name ?? "",
        });
        if (!r.ok) log.warn({ shop, kind: i.kind, error: r.message }, "flow trigger refused");
        if (i.kind === "promise_at_risk" && order?.sourceId.startsWith("gid://shopify/Order/")) {
          await sendFlowTrigger(graphql, FLOW_TRIGGERS.promiseAtRisk, { order_id: flowOrderId(order.sourceId), Reason: i.summary });
        }
        sent++;
      }
      return sent;
    },
  );
}

async function flowForRouting(shop: string, now: Date): Promise<AlertOutcome> {
  return flowBatch(
    shop,
    "flow-routing",
    now,
    (after) => routingOutcomesSince(shop, after, FLOW_BATCH),
    async (batch) => {
      const graphql = await adminFor(shop, "background");
      const orders = await orderSourceIds(batch.map((d) => d.orderId));
      let sent = 0;
      for (const d of batch) {
        const order = orders.get(d.orderId);
        if (!order?.sourceId.startsWith("gid://shopify/Order/")) continue;
        const order_id = flowOrderId(order.sourceId);
        if (d.outcome === "split") await sendFlowTrigger(graphql, FLOW_TRIGGERS.shipmentSplit, { order_id, Shipments: d.shipments });
        if (d.backordered > 0 || d.outcome === "backordered")
          await sendFlowTrigger(graphql, FLOW_TRIGGERS.lineBackordered, { order_id, "Units backordered": d.backordered });
        sent++;
      }
      return sent;
    },
  );
}
