import type { ActionFunctionArgs } from "@remix-run/node";
import { webhookAck } from "~/.server/metrics";
import { recordWebhook, type RecordOutcome } from "~/.server/services/record-webhook";

/** Every Shopify webhook topic, including the compliance ones, is delivered here (shopify.app.toml). */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response(null, { status: 405 });
  const end = webhookAck.startTimer();
  const response = respond(await recordWebhook(request.headers, await request.text()));
  end({ status: String(response.status) });
  return response;
}

const statusFor = {
  accepted: 200,
  duplicate: 200,
  rejected: 422,
  unauthorized: 401,
  "bad-headers": 400,
} as const satisfies Record<RecordOutcome["kind"], number>;

function respond(outcome: RecordOutcome): Response {
  const status = statusFor[outcome.kind];
  if (outcome.kind === "rejected") return Response.json({ error: outcome.reason, deliveryId: outcome.deliveryId }, { status });
  if (outcome.kind === "bad-headers") return Response.json({ error: outcome.reason }, { status });
  return new Response(null, { status });
}
