import { db } from "./client";

export type BackfillRow = {
  id: string;
  shop: string;
  status: string;
  cursor: string | null;
  imported: number;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
};

export function findRunningBackfill(shop: string) {
  return db().backfillRun.findFirst({ where: { shop, status: "running" }, orderBy: { startedAt: "desc" } });
}

export function latestBackfill(shop: string) {
  return db().backfillRun.findFirst({ where: { shop }, orderBy: { startedAt: "desc" } });
}

export function createBackfill(shop: string, at: Date) {
  return db().backfillRun.create({ data: { shop, status: "running", startedAt: at } });
}

export function findBackfill(id: string) {
  return db().backfillRun.findUnique({ where: { id } });
}

/**
 * Records one finished page. Guarded on the cursor the page started from, so a page job that runs
 * twice (a retry after a crash between Shopify's answer and this write) cannot count twice.
 */
export async function advanceBackfill(id: string, from: string | null, to: string | null, imported: number, at: Date): Promise<boolean> {
  const { count } = await db().backfillRun.updateMany({
    where: { id, status: "running", cursor: from },
    data: { cursor: to, imported: { increment: imported }, ...(to === null ? { status: "completed", finishedAt: at } : {}) },
  });
  return count === 1;
}

export async function failBackfill(id: string, error: string, at: Date): Promise<void> {
  await db().backfillRun.updateMany({ where: { id, status: "running" }, data: { status: "failed", error, finishedAt: at } });
}

export async function switchToBulk(id: string, bulkOperationId: string, total: number): Promise<void> {
  await db().backfillRun.updateMany({ where: { id, status: "running" }, data: { mode: "bulk", bulkOperationId, total } });
}

export async function completeBackfill(id: string, imported: number, at: Date): Promise<boolean> {
  const { count } = await db().backfillRun.updateMany({ where: { id, status: "running" }, data: { status: "completed", imported, finishedAt: at } });
  return count === 1;
}
