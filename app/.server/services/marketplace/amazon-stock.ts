import { amazonSellable, stockPushes } from "~/domain/marketplace/amazon-stock";
import { AmazonRateLimited, spApi } from "../../amazon/client";
import { findAccount, levelsBySku, listingsToPush, markPushedListing, observeListing, setWanted, trackSkus } from "../../db/amazon";
import { credentialsOf } from "./amazon-accounts";

/** Listings whose quantity on Amazon is read back per tick, oldest first (drift, within the budget). */
const OBSERVE_PER_TICK = 5;

/**
 * Stock to Amazon, one tick (every 30 s per account): each Amazon SKU's sellable quantity is
 * computed from the OMS's ATP, and only the ones that changed since the last push are sent
 * (patchListingsItem within the shared rate limit), so a burst of changes costs one call per SKU
 * and a change reaches Amazon within a minute. A few listings are read back each tick to report
 * drift between Amazon's quantity and the OMS's.
 */
export async function pushAmazonStock(accountId: string, now: Date): Promise<{ pushed: number; observed: number; deferred: number }> {
  const account = await findAccount(accountId);
  if (!account || account.status !== "active") return { pushed: 0, observed: 0, deferred: 0 };
  const listings = await listingsToPush(accountId);
  if (listings.length === 0) return { pushed: 0, observed: 0, deferred: 0 };
  const levels = await levelsBySku(
    account.shop,
    listings.map((l) => l.sku),
  );
  const serving = account.locationIds ? account.locationIds.split(",") : [];
  const wanted = new Map(
    listings.map((l) => [
      l.sku,
      amazonSellable(
        levels.filter((x) => x.sku === l.sku),
        serving,
        account.stockBuffer,
      ),
    ]),
  );
  await setWanted(accountId, account.shop, wanted);
  const api = spApi(credentialsOf(account));
  const marketplaces = account.marketplaceIds.split(",");
  let pushed = 0;
  let deferred = 0;
  for (const p of stockPushes(listings, wanted)) {
    try {
      const res = await api.setQuantity(p.sku, marketplaces, p.quantity);
      if (res.status === "ACCEPTED") {
        await markPushedListing(accountId, p.sku, p.quantity, now, null);
        pushed++;
      } else await markPushedListing(accountId, p.sku, p.quantity, now, `${res.status}: ${(res.issues ?? []).map((i) => i.message).join("; ")}`);
    } catch (e) {
      if (e instanceof AmazonRateLimited) {
        deferred++;
        continue; // next tick
      }
      throw e;
    }
  }
  let observed = 0;
  const oldest = [...listings].sort((a, b) => (a.observedAt?.getTime() ?? 0) - (b.observedAt?.getTime() ?? 0)).slice(0, OBSERVE_PER_TICK);
  for (const l of oldest) {
    try {
      await observeListing(accountId, l.sku, await api.getQuantity(l.sku, marketplaces), now);
      observed++;
    } catch (e) {
      if (e instanceof AmazonRateLimited) break;
      throw e;
    }
  }
  return { pushed, observed, deferred };
}

/** SKUs sold on Amazon (from its orders, or named by the merchant) get a listing row to push to. */
export async function trackAmazonSkus(accountId: string, shop: string, skus: readonly string[]) {
  await trackSkus(accountId, shop, skus);
}
