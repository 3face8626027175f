import { haversineKm } from "../sourcing/geo";
import type { Destination } from "../sourcing/types";
import type { DistanceBand, TransitEntry, TransitTable } from "./types";

/** The destination zone a transit time is keyed by: "US-CA" when the region is known, else "US". */
export function zoneOf(dest: { countryCode: string; provinceCode: string | null }): string {
  const country = dest.countryCode.toUpperCase();
  if (!dest.provinceCode) return country || "*";
  const p = dest.provinceCode.toUpperCase();
  return p.includes("-") ? p : `${country}-${p}`;
}

/** Shopify-like defaults: ground and express by straight-line distance. */
export const DEFAULT_BANDS: Readonly<Record<string, readonly DistanceBand[]>> = {
  standard: [
    { upToKm: 300, minDays: 1, maxDays: 2 },
    { upToKm: 1000, minDays: 2, maxDays: 3 },
    { upToKm: 2500, minDays: 3, maxDays: 5 },
    { upToKm: 6000, minDays: 5, maxDays: 7 },
  ],
  express: [
    { upToKm: 1000, minDays: 1, maxDays: 1 },
    { upToKm: 2500, minDays: 1, maxDays: 2 },
    { upToKm: 6000, minDays: 2, maxDays: 3 },
  ],
};

export type Transit = { minDays: number; maxDays: number; source: "table" | "band" };

/**
 * Business days from an origin to a destination for a method: the shop's entry for the exact zone,
 * then for the country, then for "*"; otherwise the distance band (without coordinates, the widest
 * band — the honest answer when the address cannot be placed). Null when the method has neither.
 */
export function transitFor(
  table: TransitTable,
  originId: string,
  origin: { latitude: number; longitude: number },
  dest: Destination,
  methodCode: string,
): Transit | null {
  const zone = zoneOf(dest);
  const country = dest.countryCode.toUpperCase();
  const match = (z: string): TransitEntry | undefined =>
    table.entries.find((e) => e.originLocationId === originId && e.methodCode === methodCode && e.zone === z);
  const entry = match(zone) ?? match(country) ?? match("*");
  if (entry) return { minDays: entry.minDays, maxDays: entry.maxDays, source: "table" };
  const bands = table.bands[methodCode];
  if (!bands?.length) return null;
  const widest = bands.reduce((a, b) => (b.upToKm > a.upToKm ? b : a));
  if (dest.latitude === null || dest.longitude === null) return { minDays: widest.minDays, maxDays: widest.maxDays, source: "band" };
  const km = haversineKm(origin.latitude, origin.longitude, dest.latitude, dest.longitude);
  const fit = bands.filter((b) => km <= b.upToKm).sort((a, b) => a.upToKm - b.upToKm)[0];
  // Beyond every band: no date rather than a guess.
  if (!fit) return null;
  return { minDays: fit.minDays, maxDays: fit.maxDays, source: "band" };
}

/** Validation of one entry as a merchant types it. */
export function transitEntryErrors(e: { minDays: number; maxDays: number; zone: string; methodCode: string }): string[] {
  const out: string[] = [];
  if (!Number.isInteger(e.minDays) || e.minDays < 0 || e.minDays > 60) out.push("minimum days must be a whole number from 0 to 60");
  if (!Number.isInteger(e.maxDays) || e.maxDays < 0 || e.maxDays > 60) out.push("maximum days must be a whole number from 0 to 60");
  if (e.maxDays < e.minDays) out.push("maximum days must be at least the minimum");
  if (!/^(\*|[A-Z]{2}(-[A-Z0-9]{1,3})?)$/.test(e.zone)) out.push('zone must be "*", a country code ("US") or a region ("US-CA")');
  if (!/^[a-z0-9_-]{1,40}$/.test(e.methodCode)) out.push("method code must be lower-case letters, digits, - or _");
  return out;
}
