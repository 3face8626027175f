import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validateBody } from "~/.server/services/record-webhook";
import { payloadSchemas } from "./webhook-payloads";

const samples = path.resolve(__dirname, "../../dev/contracts/shopify/webhooks");
const topics = Object.keys(payloadSchemas).filter((t) => existsSync(path.join(samples, `${t}.json`)));

describe("webhook payload schemas accept Shopify's own example payloads", () => {
  it("has a sample for most handled topics", () => {
    expect(topics.length).toBeGreaterThanOrEqual(Object.keys(payloadSchemas).length - 2);
  });

  it.each(topics)("%s", (topic) => {
    expect(validateBody(topic, readFileSync(path.join(samples, `${topic}.json`), "utf8"))).toBeNull();
  });
});
