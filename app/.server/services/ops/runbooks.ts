import { readFile } from "node:fs/promises";
import path from "node:path";
import { marked } from "marked";
import { EXCEPTION_KINDS, isExceptionKind, type ExceptionKind } from "~/domain/exceptions/kinds";
import { isMonitorKind } from "~/domain/ops/monitors";

// Runbooks live as markdown in docs/runbooks/<kind>.md (reviewed like code); the app renders them.
const DIR = path.resolve(process.cwd(), "docs/runbooks");

export const SECTIONS = ["What it means", "Likely causes", "Recovery steps", "Safe replay", "Escalation"] as const;

export async function runbookMarkdown(kind: ExceptionKind): Promise<string | null> {
  try {
    return await readFile(path.join(DIR, `${kind}.md`), "utf8");
  } catch {
    return null;
  }
}

/** The runbook of a kind, rendered; null for an unknown kind or a missing file. Only known kinds are read (no path from the URL). */
export async function runbook(kind: string) {
  if (!isExceptionKind(kind)) return null;
  const md = await runbookMarkdown(kind);
  if (md === null) return null;
  const title = /^# (.+)$/m.exec(md)?.[1] ?? kind;
  return { kind, title, monitor: isMonitorKind(kind), html: await marked.parse(md.replace(/^# .+\n/, "")) };
}

export async function runbookIndex() {
  return Promise.all(
    EXCEPTION_KINDS.map(async (kind) => {
      const md = await runbookMarkdown(kind);
      return {
        kind,
        title: md ? (/^# (.+)$/m.exec(md)?.[1] ?? kind) : kind,
        owner: md ? (/\*\*Owner\*\* \| (.+) \|/.exec(md)?.[1] ?? "") : "",
        monitor: isMonitorKind(kind),
        exists: md !== null,
      };
    }),
  );
}
