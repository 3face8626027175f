import { Prisma } from "@prisma/client";
import { onPostgres } from "./client";

/**
 * A JSON array (as text) of `fields` over the rows `from` selects, in each dialect: a correlated
 * subquery of a larger statement (`orderForSourcing`'s read, a groups write's RETURNING).
 */
export function jsonRows(fields: Record<string, string>, from: Prisma.Sql, orderBy = ""): Prisma.Sql {
  const pairs = Object.entries(fields)
    .map(([k, v]) => `'${k}', ${v}`)
    .join(", ");
  const order = Prisma.raw(orderBy ? ` ORDER BY ${orderBy}` : "");
  return onPostgres()
    ? Prisma.sql`(SELECT COALESCE(json_agg(json_build_object(${Prisma.raw(pairs)})${order}), '[]'::json)::text ${from})`
    : Prisma.sql`(SELECT json_group_array(json_object(${Prisma.raw(pairs)})${order}) ${from})`;
}
