import { checkPromise } from "~/domain/promise/promise-at-risk";
import { promiseFromPlan } from "~/domain/promise/promise-delivery";
import type { SourcingPlan, SourcingRequest } from "~/domain/sourcing/types";
import { attachedPromiseSchema, PROMISE_ATTRIBUTE, type AttachedPromise } from "~/schemas/promise-api";
import { markPromiseAtRisk, orderPromise, saveOrderPromise } from "../../db/promise";
import { recordTimeline } from "../../db/orders";
import type { PromiseToCheck } from "../../db/sourcing";
import { promiseContext } from "./quote-promise";
import type { PromiseView } from "./promise-view";
import { issuedPromise } from "./promise-cache";

/**
 * Intake: the promise the order was placed with, from its cart attribute, stored once on the OMS
 * order. The promise the API issued (found by id) is "verified"; an id the OMS never issued (or one
 * whose record expired) keeps only the attribute's dates, marked as such.
 */
export async function recordOrderPromise(
  shop: string,
  orderId: string,
  attributes: readonly { key: string; value: string }[],
  placedAt: Date,
  shippingCodes: readonly string[] = [],
): Promise<"recorded" | "none" | "invalid" | "already"> {
  const raw = attributes.find((a) => a.key === PROMISE_ATTRIBUTE);
  let a: AttachedPromise;
  let issued: PromiseView | null;
  if (raw) {
    let parsed;
    try {
      parsed = attachedPromiseSchema.safeParse(JSON.parse(raw.value));
    } catch {
      return "invalid";
    }
    if (!parsed.success) return "invalid";
    a = parsed.data;
    const issuedJson = await issuedPromise(shop, a.id);
    issued = issuedJson ? (JSON.parse(issuedJson) as PromiseView) : null;
  } else {
    // Without Plus there is no cart attribute: a carrier-calculated rate's code names the promise.
    const m = shippingCodes.map((c) => /^([a-z0-9_-]+)\.(dp_[0-9a-f]{20})$/.exec(c)).find(Boolean);
    if (!m) return "none";
    const issuedJson = await issuedPromise(shop, m[2]!);
    issued = issuedJson ? (JSON.parse(issuedJson) as PromiseView) : null;
    const w = issued?.windows.find((x) => x.method === m[1]);
    if (!issued || !w) return "invalid";
    a = { id: m[2]!, m: m[1]!, e: w.earliest, l: w.latest, z: issued.zone };
  }
  const w = issued?.windows.find((x) => x.method === a.m);
  const verified = !!issued && !!w && w.earliest === a.e && w.latest === a.l;
  const saved = await saveOrderPromise(shop, {
    orderId,
    promiseId: a.id,
    source: verified ? "verified" : "attribute",
    methodCode: a.m ?? null,
    carrier: w?.carrier ?? null,
    destinationZone: issued?.zone ?? a.z ?? "",
    earliest: a.e,
    latest: a.l,
    promisedAt: issued ? new Date(issued.at) : placedAt,
    reason: issued?.reason ?? "",
    parcels: issued?.parcels ?? [],
  });
  if (saved) {
    await recordTimeline(
      orderId,
      shop,
      [
        {
          kind: "note",
          summary: `Delivery promised at checkout: ${a.e === a.l ? a.e : `${a.e} – ${a.l}`}${a.m ? ` (${a.m})` : ""}${verified ? "" : " — not found among issued promises; dates as the cart carried them"}`,
          fromState: null,
          toState: null,
          owner: "oms",
          dedupeKey: "promise:recorded",
        },
      ],
      { at: placedAt, actor: "oms:promise", source: "oms", deliveryId: null },
    );
  }
  return saved ? "recorded" : "already";
}

/**
 * After routing: does the allocation still keep the order's promise? If not, the order goes to the
 * exception queue ("promise_at_risk") with the explanation; checked once per order. `known`: the
 * order's promise (or null: none) when the caller has read it already (routing reads it with the
 * order: db/sourcing.ts orderForSourcing); the fields checked are written once, at intake.
 */
export async function checkRoutedPromise(
  shop: string,
  orderId: string,
  req: SourcingRequest,
  plan: SourcingPlan,
  now: Date,
  known?: PromiseToCheck | null,
): Promise<"kept" | "at_risk" | "no_promise"> {
  const promised = known === undefined ? await orderPromise(shop, orderId) : known;
  if (!promised) return "no_promise";
  const ctx = await promiseContext(
    shop,
    req.lines.map((l) => l.inventoryItemId),
    req.destination,
    now,
  );
  const check = checkPromise(
    { methodCode: promised.methodCode, earliest: promised.earliest, latest: promised.latest },
    promiseFromPlan({ ...ctx, sourcing: req }, plan),
  );
  if (!check.atRisk) return "kept";
  await markPromiseAtRisk(shop, orderId, now, {
    shop,
    kind: "promise_at_risk",
    severity: "warning",
    subjectKey: orderId,
    orderId,
    summary: `Delivery promise at risk: ${check.explanation}`,
    data: { promiseId: promised.promiseId, promisedLatest: promised.latest, latestNow: check.latestNow },
  });
  return "at_risk";
}
