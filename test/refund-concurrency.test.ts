// Eight staff refunding the same order at the same moment on SQLite (the PostgreSQL run is
// refund-concurrency-pg.test.ts): exactly what captured − refunded − in flight allows goes through.
import { describe, it } from "vitest";
import { refundRace, refundRaceWithExchange } from "./helpers/refund-race";

describe("refunds under contention on SQLite", () => {
  it("eight staff refunding 30.00 of 100.00 at once: three go through, five are refused with the numbers; replays and completions apply once", async () => {
    await refundRace(`sqlite-${Date.now()}`);
  });
  it("with 40.00 of exchange items held against the order: two of the eight fit, the refusal names the exchange", async () => {
    await refundRaceWithExchange(`sqlite-exchange-${Date.now()}`);
  });
});
