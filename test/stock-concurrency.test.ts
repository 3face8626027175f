// Many processes reserving the last units of several items at two locations, on one real SQLite
// database: nothing is ever oversold, and the ledger explains every balance.
import { describe, it } from "vitest";
import {
  expectEachLineJudgedOnItsOwn,
  expectWholeMoveFromAnswer,
  expectOlderReadNeverOverwrites,
  expectRaceNeverOversells,
  expectReplaysChangeNothing,
} from "./helpers/stock-scenarios";

describe("stock reservations under contention", () => {
  it(
    "four processes re-reading and re-checking the same orders never oversell; each order holds only what its groups owe; the ledger always equals the balances",
    { timeout: 120_000 },
    async () => {
      await expectRaceNeverOversells(4, 30, process.env);
    },
  );

  it("an older read of an order's fulfilment orders answering after a newer one changes neither the groups nor the reservations", async () => {
    await expectOlderReadNeverOverwrites();
  });

  it("a replayed reservation or release changes nothing; a release never takes reserved below zero", async () => {
    await expectReplaysChangeNothing();
  });

  it("several lines of one read are each judged on their own level; a move releases and reserves together", async () => {
    await expectEachLineJudgedOnItsOwn();
  });

  it("a fulfilment order moved whole is written from the move's answer, unless a later-started read wrote first", async () => {
    await expectWholeMoveFromAnswer();
  });
});
