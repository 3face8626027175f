/** A job failure that retrying cannot fix (bad data, a missing record): dead-lettered at once. */
export class NonRetriableError extends Error {
  override name = "NonRetriableError";
}

/** A job payload that does not match its definition; raised at enqueue and again in the processor. */
export class JobPayloadError extends NonRetriableError {
  override name = "JobPayloadError";
  constructor(jobName: string, issues: string[]) {
    super(`Invalid payload for job "${jobName}": ${issues.join("; ")}`);
  }
}
