import type { ExceptionKind, ExceptionRaise } from "~/domain/exceptions/kinds";
import { openSubjects } from "../../db/monitor-queries";
import { clearException, raiseException } from "../exceptions/raise-exception";

export type KindCase = Omit<ExceptionRaise, "shop" | "kind">;

/**
 * Brings one kind's queue items in line with what a monitor (or signal) sees now: each case not
 * already open is raised (created, or reopened if it was resolved); a case already open is left as
 * it is, so an evaluation every minute raises it once; an open item whose case is gone is cleared.
 *
 * `complete: false` (the read was cut at its cap) clears nothing. `stillProblems` is asked about
 * open items not among the cases, for monitors that see only a window: it returns the subjects
 * that are still a problem and must stay open.
 */
export async function reconcileKind(
  shop: string,
  kind: ExceptionKind,
  cases: readonly KindCase[],
  opts: { complete: boolean; stillProblems?: (subjects: string[]) => Promise<Set<string>>; actor: string; reason: string },
  now: Date,
): Promise<{ raised: number; cleared: number }> {
  const open = new Set(await openSubjects(shop, kind));
  let raised = 0;
  for (const c of cases) {
    if (open.has(c.subjectKey)) continue;
    const { effect } = await raiseException({ shop, kind, ...c }, now);
    if (effect !== "seen_again") raised++;
  }
  let cleared = 0;
  if (opts.complete) {
    const current = new Set(cases.map((c) => c.subjectKey));
    const gone = [...open].filter((s) => !current.has(s));
    const keep = gone.length && opts.stillProblems ? await opts.stillProblems(gone) : new Set<string>();
    for (const s of gone) if (!keep.has(s) && (await clearException(shop, kind, s, opts.actor, opts.reason, now))) cleared++;
  }
  return { raised, cleared };
}
