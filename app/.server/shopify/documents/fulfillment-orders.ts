// The fulfilment-order changes a sourcing decision makes (../shared/research/shopify.md §4.1).

export const FO_MOVE = `#graphql
  mutation SourcingMove($id: ID!, $to: ID!, $lines: [FulfillmentOrderLineItemInput!]) {
    fulfillmentOrderMove(id: $id, newLocationId: $to, fulfillmentOrderLineItems: $lines) {
      # Only the moved fulfilment order's id (an object is a point): when it is the original, Shopify
      # moved it whole (same lines, the new location) and the OMS writes that without reading the
      # order back; otherwise (some units split off into a new one) it reads it (route-order.ts).
      movedFulfillmentOrder {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const FO_SPLIT = `#graphql
  mutation SourcingSplit($splits: [FulfillmentOrderSplitInput!]!) {
    fulfillmentOrderSplit(fulfillmentOrderSplits: $splits) {
      fulfillmentOrderSplits {
        fulfillmentOrder {
          id
        }
        remainingFulfillmentOrder {
          id
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const FO_HOLD = `#graphql
  mutation SourcingHold($id: ID!, $hold: FulfillmentOrderHoldInput!) {
    fulfillmentOrderHold(id: $id, fulfillmentHold: $hold) {
      fulfillmentHold {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const FO_HOLDS = `#graphql
  query SourcingHolds($id: ID!) {
    fulfillmentOrder(id: $id) {
      id
      status
      fulfillmentHolds {
        id
        handle
        reason
      }
    }
  }
`;

export const FO_RELEASE = `#graphql
  mutation SourcingRelease($id: ID!, $holdIds: [ID!]) {
    fulfillmentOrderReleaseHold(id: $id, holdIds: $holdIds) {
      fulfillmentOrder {
        id
        status
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const FO_OPEN = `#graphql
  mutation OpenScheduled($id: ID!) {
    fulfillmentOrderOpen(id: $id) {
      fulfillmentOrder {
        id
        status
      }
      userErrors {
        field
        message
      }
    }
  }
`;
