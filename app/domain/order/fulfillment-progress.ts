import { transition, type OrderEvent, type OrderState } from "./lifecycle";

export type GroupSnapshot = {
  sourceId: string;
  status: string; // Shopify FulfillmentOrderStatus
  requestStatus: string | null;
  deliveryMethod?: string | null;
  /** Handles of the holds on it (the OMS's backorder hold among them). */
  holdHandles?: string[];
  locationId: string | null;
  locationName: string | null;
  lines: {
    foLineId?: string;
    lineItemId: string;
    sku: string | null;
    inventoryItemId?: string | null;
    productTags?: string[];
    quantity: number;
    remaining: number;
  }[];
};

export type FulfillmentFact = {
  sourceId: string;
  status: string;
  displayStatus: string | null;
  tracking: { company: string | null; number: string | null; url: string | null }[];
};

const ACTIVE = new Set(["OPEN", "IN_PROGRESS", "SCHEDULED"]);

/**
 * What the fulfilment side proves about an order's progress: fulfilment orders assigned to
 * locations (sourced — by Shopify's native routing until the OMS's sourcing engine applies its own),
 * a location at work (picking), every shipment delivered (delivered). Only legal steps are proposed;
 * order-level facts such as shipped or cancelled come from the order snapshot itself.
 */
export function progressEvents(state: OrderState, groups: GroupSnapshot[], fulfillments: FulfillmentFact[]): OrderEvent[] {
  const wanted: OrderEvent[] = [];
  const live = groups.filter((g) => g.status !== "CANCELLED");
  if (live.length > 0 && live.some((g) => ACTIVE.has(g.status) || g.status === "CLOSED") && live.every((g) => g.locationId)) wanted.push("SOURCE");
  if (live.some((g) => g.status === "IN_PROGRESS")) wanted.push("START_PICK");
  const shipments = fulfillments.filter((f) => f.status === "SUCCESS");
  if (state === "shipped" && shipments.length > 0 && shipments.every((f) => f.displayStatus === "DELIVERED")) wanted.push("DELIVER");

  // Take each step the order can take from where it is; skip facts it is already past.
  const steps: OrderEvent[] = [];
  let at = state;
  for (const event of wanted) {
    const step = transition(at, event);
    if (step.ok && step.value.changed) {
      steps.push(event);
      at = step.value.to;
    }
  }
  return steps;
}
