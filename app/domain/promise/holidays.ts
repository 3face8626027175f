// Public holidays of a destination, from a maintained library (date-holidays), as local dates.
// Pure: the library computes from its bundled rules; results are remembered per country, region and year.
import Holidays from "date-holidays";

const cache = new Map<string, readonly string[]>();

function yearOf(country: string, region: string | null, year: number): readonly string[] {
  const key = `${country}|${region ?? ""}|${year}`;
  let dates = cache.get(key);
  if (!dates) {
    let list: { date: string; type: string }[] = [];
    try {
      const hd = region ? new Holidays(country, region.replace(/^[A-Z]{2}-/, "")) : new Holidays(country);
      list = (hd.getHolidays(year) || []) as { date: string; type: string }[];
    } catch {
      list = [];
    }
    dates = list.filter((h) => h.type === "public").map((h) => h.date.slice(0, 10));
    cache.set(key, dates);
  }
  return dates;
}

/** Public holidays in [fromYear, toYear] for a country and, when known, its region ("US-CA" or "CA"). */
export function publicHolidays(countryCode: string, provinceCode: string | null, fromYear: number, toYear = fromYear + 1): Set<string> {
  const out = new Set<string>();
  if (!countryCode) return out;
  for (let y = fromYear; y <= toYear; y++) for (const d of yearOf(countryCode.toUpperCase(), provinceCode?.toUpperCase() ?? null, y)) out.add(d);
  return out;
}
