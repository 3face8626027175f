import type { SourcingLocation } from "~/domain/sourcing/types";
import { calendarOf } from "../db/sourcing";

type LocationRow = { id: string; name: string; isActive: boolean; fulfillsOnlineOrders: boolean; latitude: number | null; longitude: number | null };
type ProfileRow = {
  kind: string;
  servesCountries: string;
  tags: string;
  priority: number;
  dailyCapacity: number | null;
  handlingCostMinor: number;
  costPerKmMinor: number;
  shipDays: string;
  cutoffMinutes: number;
  timeZone: string;
  closedDates: string;
  offline?: boolean;
};

/**
 * A location as the sourcing engine sees it, from the OMS's records: one mapping for routing an
 * order and for promising a cart, so both decide over the same candidates.
 */
export function sourcingLocation(l: LocationRow, p: ProfileRow | undefined, atp: Record<string, number>, ordersToday: number): SourcingLocation {
  return {
    id: l.id,
    name: l.name,
    kind: (p?.kind ?? "warehouse") as SourcingLocation["kind"],
    // A location marked offline (changes/location-offline.ts) takes nothing until it is back.
    active: l.isActive && !p?.offline,
    shipsOnlineOrders: l.fulfillsOnlineOrders,
    servesCountries: p?.servesCountries ? p.servesCountries.split(",").filter(Boolean) : [],
    tags: p?.tags ? p.tags.split(",").filter(Boolean) : [],
    latitude: l.latitude ?? 0,
    longitude: l.longitude ?? 0,
    priority: p?.priority ?? 100,
    dailyCapacity: p?.dailyCapacity ?? null,
    ordersToday,
    handlingCostMinor: p?.handlingCostMinor ?? 0,
    distanceCost: { perKmMinor: p?.costPerKmMinor ?? 0 },
    atp,
    calendar: calendarOf(p),
  };
}
