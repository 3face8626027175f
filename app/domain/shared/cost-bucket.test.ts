import { describe, expect, it } from "vitest";
import { availableAt, take, waitMs, type BucketView } from "./cost-bucket";

const bucket: BucketView = { available: 100, maximum: 1_000, restoreRate: 50, atMs: 10_000 };

describe("cost bucket", () => {
  it("refills at the restore rate up to its size", () => {
    expect(availableAt(bucket, 10_000)).toBe(100);
    expect(availableAt(bucket, 12_000)).toBe(200);
    expect(availableAt(bucket, 60_000)).toBe(1_000);
    // A clock that steps back never drains it.
    expect(availableAt(bucket, 9_000)).toBe(100);
  });

  it("lets a call go when the bucket holds its points, and says how long to wait otherwise", () => {
    expect(waitMs(bucket, 10_000, 100)).toBe(0);
    expect(waitMs(bucket, 10_000, 150)).toBe(1_000);
    expect(waitMs(bucket, 11_000, 150)).toBe(0);
  });

  it("keeps a reserve for other work: a low-priority call waits until the reserve is there too", () => {
    expect(waitMs(bucket, 10_000, 50, 0)).toBe(0);
    expect(waitMs(bucket, 10_000, 50, 450)).toBe(8_000);
  });

  it("caps a need above the bucket's size at a full bucket", () => {
    expect(waitMs(bucket, 10_000, 5_000)).toBe(18_000);
    expect(waitMs({ ...bucket, available: 1_000 }, 10_000, 5_000)).toBe(0);
  });

  it("debits a call before Shopify answers, so concurrent calls do not all see the same points", () => {
    const after = take(bucket, 12_000, 150);
    expect(after).toMatchObject({ available: 50, atMs: 12_000 });
    expect(waitMs(after, 12_000, 100)).toBe(1_000);
  });
});
