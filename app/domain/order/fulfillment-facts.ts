// What a fulfillment_orders/* event states about fulfilment orders (id, status, and where the
// payload names it, the assigned location), and whether the OMS's groups already hold it. Pure.

export type FoFact = { id: string; status: string; locationId?: string };
export type HeldGroup = { status: string; locationId: string | null };

/** Topics whose payload states everything they change as fulfilment-order status and location. */
export const STATUS_ONLY_TOPICS: ReadonlySet<string> = new Set([
  "fulfillment_orders/moved",
  "fulfillment_orders/order_routing_complete",
  "fulfillment_orders/placed_on_hold",
  "fulfillment_orders/hold_released",
]);

type Ref = { id?: unknown; status?: unknown; assigned_location_id?: unknown } | null | undefined;

/** The fulfilment orders a payload names, with their status (upper-cased, as the Admin API spells it). */
export function factsOf(payload: Record<string, unknown>): FoFact[] {
  return ["fulfillment_order", "original_fulfillment_order", "moved_fulfillment_order", "remaining_fulfillment_order"]
    .map((k) => payload[k] as Ref)
    .filter((r): r is { id: string; status: string; assigned_location_id?: unknown } => typeof r?.id === "string" && typeof r.status === "string")
    .map((r) => ({ id: r.id, status: r.status.toUpperCase(), ...(typeof r.assigned_location_id === "string" ? { locationId: r.assigned_location_id } : {}) }));
}

/** True when every fact is already what the OMS holds: re-reading the order would learn nothing. */
export function factsHeld(facts: readonly FoFact[], held: ReadonlyMap<string, HeldGroup>): boolean {
  return (
    facts.length > 0 &&
    facts.every((f) => {
      const g = held.get(f.id);
      return Boolean(g) && g!.status === f.status && (f.locationId === undefined || f.locationId === g!.locationId);
    })
  );
}
