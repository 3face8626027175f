import type { DeliveryPromise } from "./types";

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const ORDINALS = ["first", "second", "third", "fourth", "fifth"];

/** "today", "tomorrow", a weekday within the week, else the date; `d` = days after the location's today. */
export function dayName(date: string, d: number): string {
  if (d === 0) return "today";
  if (d === 1) return "tomorrow";
  if (d > 1 && d < 7) return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
  return date;
}

/** "2 h 14 min", "35 min". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 60_000));
  const h = Math.floor(total / 60);
  const m = total % 60;
  return h ? `${h} h ${m} min` : `${m} min`;
}

/** One line a person reads: "ships today from Reno NV if ordered within 2 h 14 min; second parcel ships Thursday after restock". */
export function describePromise(p: DeliveryPromise): string {
  const parts = p.shipments.map((s, i) => {
    const who = p.shipments.length > 1 && i > 0 ? `${ORDINALS[i] ?? `parcel ${i + 1}`} parcel ships` : "ships";
    if (!s.shipDate) return `${who} on no known date from ${s.locationName}`;
    const when = dayName(s.shipDate, s.shipsInDays ?? 99);
    if (s.kind === "restock") return `${who} ${when} from ${s.locationName} after restock`;
    const within = s.cutoffAt ? ` if ordered within ${formatDuration(s.cutoffAt.getTime() - p.at.getTime())}` : "";
    return `${who} ${when} from ${s.locationName}${within}`;
  });
  const units = p.undated.reduce((n, u) => n + u.quantity, 0);
  if (units) parts.push(`${units} unit${units === 1 ? "" : "s"} out of stock with no restock date: no delivery date promised`);
  if (!parts.length) return "no delivery date: nothing can ship";
  const line = parts.join("; ");
  return line.charAt(0).toUpperCase() + line.slice(1);
}
