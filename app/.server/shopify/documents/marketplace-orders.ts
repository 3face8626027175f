// Marketplace orders created in (and cancelled from) Shopify by the OMS (issue 17: Amazon).

export const MARKETPLACE_ORDER_CREATE = `#graphql
  mutation MarketplaceOrderCreate($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
    orderCreate(order: $order, options: $options) {
      order {
        id
        name
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const MARKETPLACE_ORDER_CANCEL = `#graphql
  mutation MarketplaceOrderCancel($orderId: ID!, $reason: OrderCancelReason!, $restock: Boolean!, $staffNote: String) {
    orderCancel(orderId: $orderId, reason: $reason, restock: $restock, refund: false, notifyCustomer: false, staffNote: $staffNote) {
      job {
        id
      }
      orderCancelUserErrors {
        field
        message
        code
      }
    }
  }
`;

// A marketplace order the OMS created before, found by the marketplace's id (orders' search syntax:
// `source_identifier:<id> source_name:<channel>`).
export const MARKETPLACE_ORDER_FIND = `#graphql
  query MarketplaceOrderFind($query: String!, $after: String) {
    orders(first: 10, query: $query, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        sourceIdentifier
        sourceName
      }
    }
  }
`;
