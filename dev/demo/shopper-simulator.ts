// Places orders as shoppers would, at a steady rate: one order every `intervalMs` (scheduled from
// the start, so a slow checkout does not drift the rate; a late order is not made up with a burst),
// 1–4 lines each, mostly one unit per line, shipped to a random shopper's address.
import type { Shopper } from "./fixture-shoppers";
import type { Rng } from "./prng";
import type { CheckoutOutcome } from "./standin-client";
import type { CheckoutRequest } from "./standin-contract";

export interface SimulatorOptions {
  placeOrder: (request: CheckoutRequest) => Promise<CheckoutOutcome>;
  shoppers: readonly Shopper[];
  skus: readonly string[];
  intervalMs: number;
  rng: Rng;
  /** Stop by itself after this many attempts (default: run until stop()). */
  maxOrders?: number;
  log?: (line: string) => void;
  now?: () => number;
  /** Waits `ms`, or less if `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface SimulatorStats {
  attempted: number;
  placed: number;
  outOfStock: number;
  failed: number;
}

export interface ShopperSimulator {
  /** Resolves when the simulator stops (maxOrders reached or stop() called). */
  done: Promise<SimulatorStats>;
  /** Stops after the order in flight, if any; resolves with the final stats. */
  stop(): Promise<SimulatorStats>;
  stats(): SimulatorStats;
}

const LINE_COUNTS = [
  [1, 55],
  [2, 25],
  [3, 13],
  [4, 7],
] as const;
const QUANTITIES = [
  [1, 85],
  [2, 12],
  [3, 3],
] as const;
const SHIPPING_METHODS = [
  ["Standard", 70],
  ["Express", 22],
  ["Overnight", 8],
] as const;

export function composeOrder(rng: Rng, shoppers: readonly Shopper[], skus: readonly string[]): CheckoutRequest {
  const shopper = rng.pick(shoppers);
  const lineCount = Math.min(rng.weighted(LINE_COUNTS), skus.length);
  const chosen = new Set<string>();
  while (chosen.size < lineCount) chosen.add(rng.pick(skus));
  return {
    lines: [...chosen].map((sku) => ({ sku, quantity: rng.weighted(QUANTITIES) })),
    shippingAddress: { ...shopper.address },
    email: shopper.email,
    shippingMethod: rng.weighted(SHIPPING_METHODS),
  };
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}

export function startShopperSimulator(options: SimulatorOptions): ShopperSimulator {
  const { placeOrder, shoppers, skus, intervalMs, rng } = options;
  if (shoppers.length === 0 || skus.length === 0) throw new Error("the simulator needs shoppers and SKUs");
  if (!(intervalMs > 0)) throw new Error(`intervalMs must be positive, got ${intervalMs}`);
  const log = options.log ?? ((line: string) => console.log(line));
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const controller = new AbortController();
  const stats: SimulatorStats = { attempted: 0, placed: 0, outOfStock: 0, failed: 0 };

  const loop = async (): Promise<SimulatorStats> => {
    let nextAt = now();
    while (!controller.signal.aborted && (options.maxOrders === undefined || stats.attempted < options.maxOrders)) {
      const wait = nextAt - now();
      if (wait > 0) await sleep(wait, controller.signal);
      if (controller.signal.aborted) break;
      // This order's slot is now (or its schedule, if early); the next one is an interval later.
      nextAt = Math.max(nextAt, now()) + intervalMs;
      const request = composeOrder(rng, shoppers, skus);
      stats.attempted++;
      const summary = `${request.lines.map((l) => `${l.quantity}×${l.sku}`).join(", ")} → ${request.shippingAddress.city}, ${request.shippingAddress.provinceCode}`;
      try {
        const outcome = await placeOrder(request);
        if (outcome.ok) {
          stats.placed++;
          log(`order ${outcome.order.name}: ${summary} (${outcome.order.fulfillmentOrderIds.length} fulfillment order(s))`);
        } else if (outcome.status === 422) {
          stats.outOfStock++;
          log(`no order (out of stock): ${summary}: ${outcome.error}`);
        } else {
          stats.failed++;
          log(`checkout failed (${outcome.status}): ${summary}: ${outcome.error}`);
        }
      } catch (e) {
        stats.failed++;
        log(`checkout failed: ${summary}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return { ...stats };
  };

  const done = loop();
  return {
    done,
    stop: async () => {
      controller.abort();
      return done;
    },
    stats: () => ({ ...stats }),
  };
}
