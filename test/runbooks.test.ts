// Every exception kind (and so every monitor) has a runbook with the sections a person on duty
// needs, and the app renders it; an unknown kind is a 404, never a file read.
import { describe, expect, it } from "vitest";
import { runbook, runbookMarkdown, SECTIONS } from "~/.server/services/ops/runbooks";
import { EXCEPTION_KINDS } from "~/domain/exceptions/kinds";
import { MONITOR_KINDS } from "~/domain/ops/monitors";

describe("runbooks", () => {
  it.each([...EXCEPTION_KINDS])("%s has a runbook naming the owner, causes, recovery, replay and escalation", async (kind) => {
    const md = await runbookMarkdown(kind);
    expect(md).not.toBeNull();
    expect(md).toMatch(/\*\*Owner\*\* \| \S/);
    for (const s of SECTIONS) expect(md).toContain(`## ${s}`);
  });

  it("renders a monitor's runbook to HTML and refuses unknown kinds", async () => {
    for (const kind of MONITOR_KINDS) expect((await runbook(kind))?.monitor).toBe(true);
    const r = await runbook("stuck_before_allocation");
    expect(r?.html).toContain("<h2>Recovery steps</h2>");
    expect(await runbook("../../package")).toBeNull();
  });
});
