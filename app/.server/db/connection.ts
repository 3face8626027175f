import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { checkpointSqlite, db, readyDb } from "./client";

// The database connection as processes and health checks need it (connect, answer, checkpoint,
// disconnect, Shopify's session storage): the client itself stays inside app/.server/db.

/** True when the database answers a trivial query; rejects when it does not (callers bound the wait). */
export async function databaseAnswers(): Promise<boolean> {
  const client = await readyDb();
  await client.$queryRawUnsafe("SELECT 1");
  return true;
}

export async function connectDatabase(): Promise<void> {
  await readyDb();
}

/** SQLite only: copy the WAL back into the database file (the worker runs this); nothing on PostgreSQL. */
export async function checkpointDatabase(): Promise<void> {
  await checkpointSqlite(db());
}

export async function disconnectDatabase(): Promise<void> {
  await db().$disconnect();
}

/** Shopify's OAuth sessions, stored in the Session table through the shared client. */
export function shopifySessionStorage() {
  return new PrismaSessionStorage(db());
}
