// The fulfilment-order changes a sourcing decision makes (../shared/research/shopify.md §4.1).

export const FO_MOVE = `#graphql
  mutation SourcingMove($id: ID!, $to: ID!, $lines: [FulfillmentOrderLineItemInput!]) {
    fulfillmentOrderMove(id: $id, newLocationId: $to, fulfillmentOrderLineItems: $lines) {
      # Nothing of the moved fulfilment order is selected (each object is a point): the OMS reads the
      # order's fulfilment orders back after its moves (route-order.ts).
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
