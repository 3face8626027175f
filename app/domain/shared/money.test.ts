import { describe, expect, it } from "vitest";
import { addMoney, formatMoney, parseMoney } from "./money";

describe("money", () => {
  it.each([
    ["199.00", "USD", 19900n],
    ["0.5", "USD", 50n],
    ["-12.34", "EUR", -1234n],
    ["1500", "JPY", 1500n],
    ["1.234", "KWD", 1234n],
  ])("parses %s %s exactly into minor units", (text, currency, minor) => {
    expect(parseMoney(text, currency)).toEqual({ ok: true, value: { amount: minor, currency } });
  });

  it("rejects more precision than the currency has, and garbage", () => {
    expect(parseMoney("1.005", "USD")).toEqual({ ok: false, error: "TOO_PRECISE" });
    expect(parseMoney("1.5", "JPY")).toEqual({ ok: false, error: "TOO_PRECISE" });
    expect(parseMoney("12,00", "USD")).toEqual({ ok: false, error: "INVALID_AMOUNT" });
  });

  it("formats back without floating point drift", () => {
    expect(formatMoney({ amount: 30n, currency: "USD" })).toBe("0.30");
    expect(formatMoney({ amount: -5n, currency: "USD" })).toBe("-0.05");
    expect(formatMoney({ amount: 1500n, currency: "JPY" })).toBe("1500");
  });

  it("refuses to add different currencies", () => {
    const usd = { amount: 100n, currency: "USD" };
    expect(addMoney(usd, usd)).toEqual({ ok: true, value: { amount: 200n, currency: "USD" } });
    expect(addMoney(usd, { amount: 1n, currency: "CAD" })).toEqual({ ok: false, error: "CURRENCY_MISMATCH" });
  });
});
