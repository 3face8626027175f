/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Waits until nothing more happens to the shop by itself: the dev shop's dispatcher has delivered
 * everything (its retries included) and the shop's jobs have left the queues (delayed ones too, such
 * as a money sweep's window), twice in a row. Other test files share the queues, so only the shop's
 * own jobs count.
 */
export async function shopSettled(shop: string, dispatcher?: { idle: () => Promise<void> }, timeoutMs = 60_000): Promise<void> {
  const { QUEUES } = await import("~/.server/queue/definitions");
  const { queue } = await import("~/.server/queue/queues");
  const quiet = async () => {
    await dispatcher?.idle();
    const pending = await Promise.all(QUEUES.map((q) => queue(q).getJobs(["active", "waiting", "delayed"])));
    return pending.flat().every((j) => !j || (j.data as { shop?: string }).shop !== shop);
  };
  let inARow = 0;
  await waitFor(async () => ((await quiet()) ? ++inARow >= 2 : ((inARow = 0), false)), timeoutMs, `${shop} to settle`);
}
