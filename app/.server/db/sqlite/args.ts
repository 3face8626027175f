import type { ArgType } from "@prisma/driver-adapter-utils";
import type { SQLInputValue } from "node:sqlite";

/** Prisma's query arguments → values node:sqlite binds (it takes no booleans or Dates). */
export function mapArg(arg: unknown, type: ArgType | undefined): SQLInputValue {
  if (arg === null || arg === undefined) return null;
  const scalar = type?.scalarType;
  if (typeof arg === "string" && scalar === "bigint") return BigInt(arg);
  if (typeof arg === "string" && scalar === "decimal") return Number.parseFloat(arg);
  if (typeof arg === "string" && scalar === "datetime") return isoTimestamp(new Date(arg));
  if (arg instanceof Date) return isoTimestamp(arg);
  if (typeof arg === "boolean") return arg ? 1 : 0;
  if (typeof arg === "string" && scalar === "bytes") return Buffer.from(arg, "base64");
  if (Array.isArray(arg) && scalar === "bytes") return new Uint8Array(arg as number[]);
  if (typeof arg === "number" || typeof arg === "bigint" || typeof arg === "string" || arg instanceof Uint8Array) return arg;
  return JSON.stringify(arg);
}

// The same text form the libsql adapter (used by the Prisma CLI) writes, so both read each other's rows.
export const isoTimestamp = (d: Date) => d.toISOString().replace("Z", "+00:00");
