import { EXCEPTION_KINDS } from "~/domain/exceptions/kinds";
import { MONITOR_KINDS, MONITOR_TITLES } from "~/domain/ops/monitors";
import { exceptionLoadPer100, formatAge, type QueueFilters } from "~/domain/ops/queue";
import { assignees, countQueue, countRaised, listQueue, openCounts, queueAudit } from "../../db/exception-queue";
import { countOrdersPlaced, openCriticalCount } from "../../db/ops-kpis";
import { readThresholds } from "../../db/monitor-queries";
import { replayOf } from "./replay-exception";

const DAY = 86_400_000;

/** The exception queue page: the filtered items (oldest first) with age and replay, and the load. */
export async function queuePage(shop: string, filters: QueueFilters, now: Date) {
  const [items, total, people, counts, audit, raised30, orders30] = await Promise.all([
    listQueue(shop, filters, now),
    countQueue(shop, filters, now),
    assignees(shop),
    openCounts(shop),
    queueAudit(shop, 10),
    countRaised(shop, new Date(now.getTime() - 30 * DAY), now),
    countOrdersPlaced(shop, new Date(now.getTime() - 30 * DAY), now),
  ]);
  return {
    items: items.map((i) => ({
      id: i.id,
      kind: i.kind,
      severity: i.severity,
      status: i.status,
      summary: i.summary,
      orderId: i.orderId,
      assignee: i.assignee,
      occurrences: i.occurrences,
      raisedAt: i.raisedAt.toISOString(),
      age: formatAge(i.raisedAt, now),
      snoozedUntil: i.snoozedUntil?.toISOString() ?? null,
      resolution: i.resolution,
      resolvedBy: i.resolvedBy,
      replay: replayOf(i),
    })),
    total,
    kinds: [...EXCEPTION_KINDS],
    assignees: people,
    open: counts.reduce((n, c) => n + c.count, 0),
    critical: counts.filter((c) => c.severity === "critical").reduce((n, c) => n + c.count, 0),
    loadPer100: exceptionLoadPer100(raised30, orders30),
    raised30,
    orders30,
    audit: audit.map((a) => ({ at: a.at.toISOString(), actor: a.actor, summary: a.summary })),
  };
}

/** The monitors page: each monitor's open items and oldest age, and the shop's thresholds. */
export async function monitorsPage(shop: string, now: Date) {
  const [counts, settings] = await Promise.all([openCounts(shop), readThresholds(shop)]);
  return {
    monitors: MONITOR_KINDS.map((kind) => {
      const mine = counts.filter((c) => c.kind === kind);
      const oldest = mine
        .map((c) => c.oldest)
        .filter((d): d is Date => Boolean(d))
        .sort((a, b) => a.getTime() - b.getTime())[0];
      return { kind, title: MONITOR_TITLES[kind], open: mine.reduce((n, c) => n + c.count, 0), oldestAge: oldest ? formatAge(oldest, now) : null };
    }),
    settings: { ...settings, updatedAt: settings.updatedAt?.toISOString() ?? null },
  };
}

/** The in-app banner: open critical items (snoozed ones excluded: someone is on them). */
export const criticalOpen = (shop: string, now: Date) => openCriticalCount(shop, now);
