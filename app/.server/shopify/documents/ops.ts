// The monitors' comparison with Shopify: orders created (payments) or updated (refunds) in a
// window, 100 per page. Requested cost: 100 × (1 + 10 refunds) + 2 ≈ 1,100 would exceed the cap,
// so refunds are read 5 per order (100 × 6 + 2 = 602).
export const ORDERS_FOR_MONITORS = `#graphql
  query OrdersForMonitors($first: Int!, $after: String, $query: String!) {
    orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {
      nodes {
        id
        name
        createdAt
        displayFinancialStatus
        refunds(first: 5) {
          id
          createdAt
          totalRefundedSet {
            shopMoney {
              amount
              currencyCode
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const FLOW_TRIGGER_RECEIVE = `#graphql
  mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }
`;
