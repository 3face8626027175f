import { describe, expect, it } from "vitest";
import { jobs, QUEUES } from "./definitions";

describe("job definitions", () => {
  it("give every job a queue of its own, so a job's concurrency is the number of its jobs running at once per worker", () => {
    // bull runs all processors of one queue out of one pool of slots (the sum of their concurrencies).
    const queues = Object.values(jobs).map((d) => d.queue);
    expect(new Set(queues).size).toBe(queues.length);
    expect([...queues].sort()).toEqual([...QUEUES].sort());
  });
});
