import { createRequire } from "node:module";

// The address check behind the release rule: a postal code must exist and belong to the address's
// country and state/province (US ZIP codes and Canadian forward sortation areas, from the
// `zipcodes` dataset). Other countries are not checked (no dataset): they pass.

type ZipRecord = { state: string; country: string };
const zipcodes = createRequire(import.meta.url)("zipcodes") as { lookup: (zip: string) => ZipRecord | undefined };

const CA_PROVINCES: Record<string, string> = {
  Alberta: "AB",
  "British Columbia": "BC",
  Manitoba: "MB",
  "New Brunswick": "NB",
  "Newfoundland and Labrador": "NL",
  Newfoundland: "NL",
  "Nova Scotia": "NS",
  "Northwest Territories": "NT",
  Nunavut: "NU",
  Ontario: "ON",
  "Prince Edward Island": "PE",
  Quebec: "QC",
  Saskatchewan: "SK",
  Yukon: "YT",
};

/** Why the address fails, or null when it passes (or cannot be checked). */
export function addressProblem(a: { countryCode: string | null; provinceCode: string | null; zip: string | null } | null): string | null {
  if (!a || (a.countryCode !== "US" && a.countryCode !== "CA")) return null;
  const zip = (a.zip ?? "").trim().toUpperCase();
  if (a.countryCode === "US") {
    if (!/^\d{5}(-\d{4})?$/.test(zip)) return `"${a.zip ?? ""}" is not a US ZIP code`;
    const hit = zipcodes.lookup(zip.slice(0, 5));
    if (!hit || hit.country !== "US") return `ZIP code ${zip} does not exist`;
    if (a.provinceCode && hit.state !== a.provinceCode) return `ZIP code ${zip} is in ${hit.state}, not ${a.provinceCode}`;
    return null;
  }
  if (!/^[A-Z]\d[A-Z] ?\d[A-Z]\d$/.test(zip)) return `"${a.zip ?? ""}" is not a Canadian postal code`;
  const hit = zipcodes.lookup(zip.slice(0, 3));
  if (!hit || hit.country !== "Canada") return `postal code ${zip} does not exist`;
  const province = CA_PROVINCES[hit.state] ?? hit.state;
  if (a.provinceCode && province !== a.provinceCode) return `postal code ${zip} is in ${province}, not ${a.provinceCode}`;
  return null;
}
