import { ColumnTypeEnum, type ColumnType } from "@prisma/driver-adapter-utils";

// SQLite's declared column types (as Prisma's migrations write them) → Prisma's column types.
const DECLARED: Record<string, ColumnType> = {
  DECIMAL: ColumnTypeEnum.Numeric,
  FLOAT: ColumnTypeEnum.Float,
  DOUBLE: ColumnTypeEnum.Double,
  "DOUBLE PRECISION": ColumnTypeEnum.Double,
  NUMERIC: ColumnTypeEnum.Double,
  REAL: ColumnTypeEnum.Double,
  INT: ColumnTypeEnum.Int32,
  INTEGER: ColumnTypeEnum.Int32,
  SMALLINT: ColumnTypeEnum.Int32,
  TINYINT: ColumnTypeEnum.Int32,
  BIGINT: ColumnTypeEnum.Int64,
  INT8: ColumnTypeEnum.Int64,
  DATETIME: ColumnTypeEnum.DateTime,
  TIMESTAMP: ColumnTypeEnum.DateTime,
  DATE: ColumnTypeEnum.Date,
  TIME: ColumnTypeEnum.Time,
  TEXT: ColumnTypeEnum.Text,
  VARCHAR: ColumnTypeEnum.Text,
  CHARACTER: ColumnTypeEnum.Text,
  CLOB: ColumnTypeEnum.Text,
  BLOB: ColumnTypeEnum.Bytes,
  BOOLEAN: ColumnTypeEnum.Boolean,
  JSONB: ColumnTypeEnum.Json,
};

/** Declared types where the column has one; for expressions (COUNT(*), …) the first non-null value decides. */
export function columnTypes(declared: (string | null)[], rows: unknown[][]): ColumnType[] {
  return declared.map((decl, i) => {
    const known = decl ? DECLARED[decl.toUpperCase()] : undefined;
    if (known !== undefined) return known;
    const sample = rows.find((r) => r[i] !== null)?.[i];
    if (typeof sample === "string") return ColumnTypeEnum.Text;
    if (typeof sample === "bigint") return ColumnTypeEnum.Int64;
    if (typeof sample === "number") return ColumnTypeEnum.UnknownNumber;
    if (sample instanceof Uint8Array) return ColumnTypeEnum.Bytes;
    return ColumnTypeEnum.Int32;
  });
}

/** Values as Prisma expects them per column type (integers are read as bigint so none loses precision). */
export function mapRow(row: unknown[], types: ColumnType[]): unknown[] {
  return row.map((v, i) => {
    const t = types[i];
    if (v instanceof Uint8Array) return Array.from(v);
    if (typeof v === "bigint") {
      if (t === ColumnTypeEnum.DateTime) return new Date(Number(v)).toISOString();
      if (t === ColumnTypeEnum.Int64 || t === ColumnTypeEnum.UnknownNumber) return v.toString();
      return Number(v);
    }
    if (typeof v === "number" && t === ColumnTypeEnum.DateTime) return new Date(v).toISOString();
    return v;
  });
}
