// Alert digests: an incident that raises a thousand items sends one message. A channel sends when
// something new was raised since its watermark and its last message is at least `everyMinutes`
// old; the message lists what was raised since, grouped by kind. Pure: time is a parameter.

export type DigestState = { watermark: Date; lastSentAt: Date } | null;
export type DigestItem = { id: string; kind: string; severity: string; summary: string; raisedAt: Date };

export function digestDue(state: DigestState, newestRaise: Date | null, now: Date, everyMinutes: number): boolean {
  if (!newestRaise) return false;
  if (!state) return true;
  if (newestRaise.getTime() <= state.watermark.getTime()) return false;
  return now.getTime() - state.lastSentAt.getTime() >= everyMinutes * 60_000;
}

const LISTED = 15;

export function composeDigest(shopName: string, items: readonly DigestItem[], queueUrl: string) {
  const byKind = new Map<string, number>();
  for (const i of items) byKind.set(i.kind, (byKind.get(i.kind) ?? 0) + 1);
  const critical = items.filter((i) => i.severity === "critical").length;
  const subject = `[${shopName}] ${items.length} new exception${items.length === 1 ? "" : "s"}${critical ? ` (${critical} critical)` : ""}`;
  const counts = [...byKind].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} × ${k.replaceAll("_", " ")}`);
  const listed = [...items]
    .sort((a, b) => (a.severity === b.severity ? a.raisedAt.getTime() - b.raisedAt.getTime() : a.severity === "critical" ? -1 : 1))
    .slice(0, LISTED);
  const lines = listed.map((i) => `- [${i.severity}] ${i.summary}`);
  const more = items.length > LISTED ? [`…and ${items.length - LISTED} more`] : [];
  const text = [subject, "", ...counts, "", ...lines, ...more, "", `Work the queue: ${queueUrl}`].join("\n");
  // Slack-compatible incoming-webhook JSON: `text` is the fallback, blocks the layout.
  const slack = {
    text: subject,
    blocks: [
      { type: "header", text: { type: "plain_text", text: subject.slice(0, 150) } },
      { type: "section", text: { type: "mrkdwn", text: counts.join("\n") || "—" } },
      { type: "section", text: { type: "mrkdwn", text: [...lines, ...more].join("\n").slice(0, 2900) || "—" } },
      { type: "section", text: { type: "mrkdwn", text: `<${queueUrl}|Open the exception queue>` } },
    ],
  };
  return { subject, text, slack };
}
