// Contract: the stand-in's /sandbox answers every static sandbox example of the copied models
// (x-amzn-api-sandbox.static) exactly as the model states, and each answer matches the model's
// response schema (the stand-in refuses to send one that does not).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operations } from "./models";
import { startAmazonStandIn, type AmazonStandIn } from "./server";

let s: AmazonStandIn;
let token: string;

beforeAll(async () => {
  s = await startAmazonStandIn();
  await fetch(`${s.url}/_dev/sellers`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sellerId: "SANDBOX", clientId: "c", clientSecret: "s", refreshToken: "Atzr|sandbox" }),
  });
  const t = await fetch(`${s.url}/auth/o2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=refresh_token&refresh_token=Atzr%7Csandbox&client_id=c&client_secret=s",
  });
  token = ((await t.json()) as { access_token: string }).access_token;
});
afterAll(() => s.close());

const cases = operations().flatMap((op) =>
  [...op.responses].flatMap(([status, r]) => r.sandbox.map((c, i) => ({ op, status, c, name: `${op.model} ${op.operationId} → ${status} #${i + 1}` }))),
);

describe("SP-API sandbox examples replayed against the stand-in", () => {
  it("covers the operations the OMS uses", () => {
    const names = new Set(cases.map((c) => `${c.op.model}.${c.op.operationId}`));
    for (const n of ["orders.searchOrders", "orders.getOrder", "ordersV0.confirmShipment", "listings.patchListingsItem", "listings.getListingsItem"])
      expect(names).toContain(n);
  });

  it.each(cases)("$name", async ({ op, status, c }) => {
    // Given the example's request, built the way a client sends it
    let path = op.path;
    const query = new URLSearchParams();
    let body: string | undefined;
    for (const [name, spec] of Object.entries(c.request.parameters)) {
      const param = name === "body" ? op.params.find((p) => p.in === "body") : op.params.find((p) => p.name === name);
      if (!param) continue;
      if (param.in === "body") body = JSON.stringify("value" in spec ? spec.value : {});
      else if (param.in === "path") path = path.replace(`{${name}}`, encodeURIComponent(String(spec.value)));
      else if (param.in === "query") query.set(name, Array.isArray(spec.value) ? spec.value.join(",") : String(spec.value));
    }
    for (const p of op.params) if (p.in === "path") path = path.replace(`{${p.name}}`, "TEST_CASE_200");
    if (op.params.some((p) => p.in === "body") && body === undefined) body = "{}";
    // When it is sent to the sandbox
    const res = await fetch(`${s.url}/sandbox${path}${query.size ? `?${query}` : ""}`, {
      method: op.method,
      headers: { "x-amz-access-token": token, "content-type": "application/json" },
      body,
    });
    // Then the answer is the model's own
    expect(res.status).toBe(status);
    expect(res.headers.get("x-amzn-requestid")).toBeTruthy();
    if (status === 204) expect(await res.text()).toBe("");
    else expect(await res.json()).toEqual(c.response);
  });
});
