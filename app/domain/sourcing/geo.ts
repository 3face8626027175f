import type { DistanceCost } from "./types";

const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;

/** Great-circle distance; the same straight line Shopify's own "closest location" rule uses. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Integer minor units: per-km cost is rounded once per shipment, never accumulated as a float. */
export function distanceCostMinor(cost: DistanceCost, km: number): number {
  if ("perKmMinor" in cost) return Math.round(cost.perKmMinor * km);
  // The narrowest band that covers the distance, whatever order the merchant entered them in.
  let fit: { upToKm: number; costMinor: number } | undefined;
  let widest: { upToKm: number; costMinor: number } | undefined;
  for (const band of cost.bands) {
    if (km <= band.upToKm && (!fit || band.upToKm < fit.upToKm)) fit = band;
    if (!widest || band.upToKm > widest.upToKm) widest = band;
  }
  return (fit ?? widest)?.costMinor ?? 0;
}
