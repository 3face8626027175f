import { err, ok, type Result } from "./result";

/** Money in integer minor units of one currency; never floats. */
export type Money = { readonly amount: bigint; readonly currency: string };

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

// ISO 4217 exponents that differ from 2; every other currency has two minor digits.
const EXPONENTS: Record<string, number> = { JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0, UGX: 0, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3 };

export const exponentOf = (currency: string): number => EXPONENTS[currency] ?? 2;

/** Parses a decimal string such as Shopify's "199.00" exactly, rejecting more precision than the currency has. */
export function parseMoney(decimal: string, currency: string): Result<Money, "INVALID_AMOUNT" | "TOO_PRECISE"> {
  const m = DECIMAL.exec(decimal.trim());
  if (!m) return err("INVALID_AMOUNT");
  const [, sign, whole = "0", frac = ""] = m;
  const exp = exponentOf(currency);
  const trimmed = frac.replace(/0+$/, "");
  if (trimmed.length > exp) return err("TOO_PRECISE");
  const minor = BigInt(whole + frac.padEnd(exp, "0").slice(0, exp));
  return ok({ amount: sign ? -minor : minor, currency });
}

export function formatMoney(m: Money): string {
  const exp = exponentOf(m.currency);
  const neg = m.amount < 0n;
  const digits = (neg ? -m.amount : m.amount).toString().padStart(exp + 1, "0");
  const whole = digits.slice(0, digits.length - exp);
  const frac = exp > 0 ? `.${digits.slice(digits.length - exp)}` : "";
  return `${neg ? "-" : ""}${whole}${frac}`;
}

export function addMoney(a: Money, b: Money): Result<Money, "CURRENCY_MISMATCH"> {
  if (a.currency !== b.currency) return err("CURRENCY_MISMATCH");
  return ok({ amount: a.amount + b.amount, currency: a.currency });
}
