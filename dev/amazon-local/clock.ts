/**
 * The stand-in's own clock: Amazon's time, which tests and the benchmark can move forward or run
 * faster than the wall (a day of orders in minutes). Everything time-based in the stand-in (order
 * times, "before" bounds, token expiry, rate buckets) reads this clock.
 */
export class StandInClock {
  private virtualAt: number;
  private realAt: number;
  speed: number;

  constructor(start = Date.now(), speed = 1) {
    this.virtualAt = start;
    this.realAt = Date.now();
    this.speed = speed;
  }

  now(): number {
    return this.virtualAt + (Date.now() - this.realAt) * this.speed;
  }

  /** Moves time forward (never back: Amazon's timestamps only grow). */
  advance(ms: number): void {
    this.rebase();
    this.virtualAt += Math.max(0, ms);
  }

  setSpeed(speed: number): void {
    this.rebase();
    this.speed = speed;
  }

  private rebase(): void {
    this.virtualAt = this.now();
    this.realAt = Date.now();
  }
}
