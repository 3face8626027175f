import { DriverAdapterError } from "@prisma/driver-adapter-utils";

type SqliteError = Error & { errcode?: number; errstr?: string };

const SQLITE_BUSY = 5;

export const isBusyError = (e: unknown): boolean => e instanceof Error && (((e as SqliteError).errcode ?? 0) & 0xff) === SQLITE_BUSY;

const fieldsOf = (message: string) =>
  message
    .split("constraint failed: ")
    .at(1)
    ?.split(", ")
    .map((f) => f.split(".").pop() ?? f);

/** node:sqlite errors → the error kinds Prisma turns into P2002 and friends. */
export function toAdapterError(e: unknown): DriverAdapterError {
  if (!(e instanceof Error)) return new DriverAdapterError({ kind: "sqlite", extendedCode: 1, message: String(e) });
  const code = (e as SqliteError).errcode ?? 1;
  const message = e.message;
  const fields = fieldsOf(message);
  const base = { originalCode: String(code), originalMessage: message };
  if (code === 2067 || code === 1555)
    return new DriverAdapterError({ ...base, kind: "UniqueConstraintViolation", constraint: fields ? { fields } : undefined });
  if (code === 1299) return new DriverAdapterError({ ...base, kind: "NullConstraintViolation", constraint: fields ? { fields } : undefined });
  if (code === 787 || code === 1811) return new DriverAdapterError({ ...base, kind: "ForeignKeyConstraintViolation", constraint: { foreignKey: {} } });
  if ((code & 0xff) === SQLITE_BUSY) return new DriverAdapterError({ ...base, kind: "SocketTimeout" });
  if (message.startsWith("no such table")) return new DriverAdapterError({ ...base, kind: "TableDoesNotExist", table: message.split(": ").at(1) });
  if (message.startsWith("no such column")) return new DriverAdapterError({ ...base, kind: "ColumnNotFound", column: message.split(": ").at(1) });
  return new DriverAdapterError({ ...base, kind: "sqlite", extendedCode: code, message });
}
