import { describe, expect, it } from "vitest";
import { composeDigest, digestDue } from "./digest";

const at = (m: number) => new Date(Date.UTC(2026, 11, 1, 12, m));

describe("alert digests", () => {
  it("sends the first time something is raised, then at most once per interval, only for new raises", () => {
    expect(digestDue(null, null, at(0), 15)).toBe(false);
    expect(digestDue(null, at(0), at(0), 15)).toBe(true);
    const sent = { watermark: at(0), lastSentAt: at(0) };
    expect(digestDue(sent, at(0), at(30), 15)).toBe(false); // nothing new
    expect(digestDue(sent, at(5), at(10), 15)).toBe(false); // new, but too soon: waits
    expect(digestDue(sent, at(5), at(15), 15)).toBe(true);
  });

  it("one message for a thousand items: counts per kind, the first fifteen listed", () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({
      id: `e${i}`,
      kind: i % 2 ? "dead_letter" : "stuck_before_allocation",
      severity: i < 3 ? "critical" : "warning",
      summary: `item ${i}`,
      raisedAt: at(0),
    }));
    const d = composeDigest("Demo", items, "http://app/app/exceptions");
    expect(d.subject).toBe("[Demo] 1000 new exceptions (3 critical)");
    expect(d.text).toContain("500 × dead letter");
    expect(d.text).toContain("…and 985 more");
    expect(d.slack.text).toBe(d.subject);
  });
});
