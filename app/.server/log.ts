import pino from "pino";
import { env } from "./env";

/**
 * Structured JSON logs (one object per line, for the log pipeline) with the ids that let a person
 * follow one case: shop, orderId, deliveryId, jobId, jobName. Use `log.child({ shop, jobId })` for
 * work about one thing, so every line it writes carries them.
 */
export const log = pino({
  level: env().NODE_ENV === "test" ? "silent" : env().LOG_LEVEL,
  base: { service: "oms", pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
});

export type LogIds = { shop?: string | null; orderId?: string | null; deliveryId?: string | null; jobId?: string | null; jobName?: string };
export const logFor = (ids: LogIds) => log.child(Object.fromEntries(Object.entries(ids).filter(([, v]) => v !== undefined && v !== null)));
