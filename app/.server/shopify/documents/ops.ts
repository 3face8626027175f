// The monitors' comparison with Shopify: orders created (payments) or updated (refunds) in a
// window, 50 per page: each order costs 16 points with its refunds (5 × 3), so a page requests
// 50 × 16 + 2 = 802, under Shopify's 1,000-point cap.
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
