// Many processes reserving the last units of several items at two locations, on one real SQLite
// database: nothing is ever oversold, and the ledger explains every balance.
import { describe, it } from "vitest";
import { expectRaceNeverOversells, expectReplaysChangeNothing } from "./helpers/stock-scenarios";

describe("stock reservations under contention", () => {
  it("four processes racing for the last units never oversell, and the ledger equals the balances", { timeout: 120_000 }, async () => {
    await expectRaceNeverOversells(4, 30, process.env);
  });

  it("a replayed reservation or release changes nothing; a release never takes reserved below zero", async () => {
    await expectReplaysChangeNothing();
  });
});
