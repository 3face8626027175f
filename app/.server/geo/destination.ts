import { createRequire } from "node:module";

// Where an order ships to, in coordinates for the sourcing engine's distance rules: the address's
// own coordinates when Shopify geocoded it, else the centroid of its postal code (US ZIP codes and
// Canadian forward sortation areas, from the `zipcodes` dataset), else unknown.

type ZipRecord = { latitude: number; longitude: number; country: string };
const zipcodes = createRequire(import.meta.url)("zipcodes") as { lookup: (zip: string) => ZipRecord | undefined };

export type Destination = {
  countryCode: string | null;
  provinceCode: string | null;
  latitude: number | null;
  longitude: number | null;
  coordinatesFrom: "address" | "postal_code" | "unknown";
};

export function destinationOf(
  a: { countryCode: string | null; provinceCode: string | null; zip: string | null; latitude: number | null; longitude: number | null } | null,
): Destination {
  if (!a) return { countryCode: null, provinceCode: null, latitude: null, longitude: null, coordinatesFrom: "unknown" };
  const base = { countryCode: a.countryCode, provinceCode: a.provinceCode };
  if (a.latitude !== null && a.longitude !== null) return { ...base, latitude: a.latitude, longitude: a.longitude, coordinatesFrom: "address" };
  const c = a.zip ? postalCentroid(a.countryCode, a.zip) : null;
  return c ? { ...base, ...c, coordinatesFrom: "postal_code" } : { ...base, latitude: null, longitude: null, coordinatesFrom: "unknown" };
}

export function postalCentroid(countryCode: string | null, zip: string): { latitude: number; longitude: number } | null {
  const key = countryCode === "US" ? zip.trim().slice(0, 5) : countryCode === "CA" ? zip.trim().toUpperCase().slice(0, 3) : null;
  if (!key) return null;
  const hit = zipcodes.lookup(key);
  if (!hit || (countryCode === "US" ? hit.country !== "US" : hit.country !== "Canada")) return null;
  return { latitude: hit.latitude, longitude: hit.longitude };
}
