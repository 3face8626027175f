// Civil-date arithmetic on YYYY-MM-DD strings (dates carry no time zone: the local dates were
// read with the tz library before they got here), and business days for a carrier.

const parse = (date: string) => {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
};
const format = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const addCalendarDays = (date: string, days: number): string => format(parse(date) + days * 86_400_000);
export const weekdayOf = (date: string): number => new Date(parse(date)).getUTCDay();
export const daysBetween = (from: string, to: string): number => Math.round((parse(to) - parse(from)) / 86_400_000);

/** Does the carrier deliver on this date at this destination? Not on its non-delivery weekdays, not on public holidays. */
export const isDeliveryDay = (date: string, nonDeliveryWeekdays: readonly number[], holidays: ReadonlySet<string>) =>
  !nonDeliveryWeekdays.includes(weekdayOf(date)) && !holidays.has(date);

/**
 * The date a parcel handed over on `shipDate` arrives after `days` business days in transit: the
 * days after the ship date that are delivery days, counted until `days` of them have passed. Zero
 * days = the first delivery day on or after the ship date.
 */
export function addBusinessDays(shipDate: string, days: number, nonDeliveryWeekdays: readonly number[], holidays: ReadonlySet<string>): string {
  if (nonDeliveryWeekdays.length >= 7) throw new Error("a carrier that never delivers");
  let date = shipDate;
  if (days === 0) {
    while (!isDeliveryDay(date, nonDeliveryWeekdays, holidays)) date = addCalendarDays(date, 1);
    return date;
  }
  for (let left = days; left > 0;) {
    date = addCalendarDays(date, 1);
    if (isDeliveryDay(date, nonDeliveryWeekdays, holidays)) left--;
  }
  return date;
}
