import { z } from "zod";
import { EXCEPTION_KINDS } from "~/domain/exceptions/kinds";
import { AGE_BUCKETS } from "~/domain/ops/queue";

const blankToUndefined = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

/** The exception queue's filters (query string). Unknown values fall back to no filter. */
export const queueFiltersSchema = z.object({
  kind: z.enum(EXCEPTION_KINDS).optional().catch(undefined),
  severity: z.enum(["critical", "warning", "info"]).optional().catch(undefined),
  status: z.enum(["open", "snoozed", "resolved", "all"]).optional().catch(undefined),
  assignee: blankToUndefined,
  age: z.enum(AGE_BUCKETS).optional().catch(undefined),
});

const ids = z
  .string()
  .transform((s) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().min(1)).max(500));

/** Work on queue items (one or many ids, comma-separated). */
export const queueWorkSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("assign"), ids, assignee: z.string().trim().max(120) }),
  z.object({ intent: z.literal("snooze"), ids, hours: z.coerce.number().int().min(1).max(720) }),
  z.object({ intent: z.literal("resolve"), ids, note: z.string().trim().max(2000) }),
  z.object({ intent: z.literal("replay"), id: z.string().min(1) }),
]);

/** The monitors' thresholds and alert settings form. */
export const monitorSettingsSchema = z.object({
  stuckBeforeAllocationMinutes: z.coerce.number().int(),
  allocationSlaMinutes: z.coerce.number().int(),
  locationSlaMinutes: z
    .string()
    .default("")
    .transform((s, ctx) => {
      // One "location GID = minutes" per line.
      const out: Record<string, number> = {};
      for (const line of s
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean)) {
        const m = /^(gid:\/\/shopify\/Location\/\d+)\s*=\s*(\d+)$/.exec(line);
        if (!m) {
          ctx.addIssue({ code: "custom", message: `not "gid://shopify/Location/<id> = <minutes>": ${line}` });
          return z.NEVER;
        }
        out[m[1]!] = Number(m[2]);
      }
      return out;
    }),
  statusSyncMinutes: z.coerce.number().int(),
  paymentWindowHours: z.coerce.number().int(),
  paymentGraceMinutes: z.coerce.number().int(),
  refundWindowHours: z.coerce.number().int(),
  refundGraceMinutes: z.coerce.number().int(),
  alertEmail: z
    .string()
    .trim()
    .transform((v) => (v === "" ? null : v))
    .pipe(z.string().email().nullable()),
  alertWebhookUrl: z
    .string()
    .trim()
    .transform((v) => (v === "" ? null : v))
    .pipe(z.string().url().nullable()),
  digestMinutes: z.coerce.number().int().min(1).max(1440),
});

/** The dashboard's period (query string): ISO dates; defaults to the last 30 days. */
export const periodSchema = z.object({
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .catch(undefined),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .catch(undefined),
});
