// An order's payments (authorisations, captures, refunds) for the consistency checks and captures.
// Requested cost about 450 points: 30 transactions, 10 fulfilments of up to 10 lines (a known limit).
export const ORDER_PAYMENTS = `#graphql
  query OrderPayments($id: ID!) {
    order(id: $id) {
      id
      name
      cancelledAt
      currencyCode
      displayFulfillmentStatus
      totalShippingPriceSet {
        shopMoney {
          amount
        }
      }
      transactions(first: 30) {
        id
        kind
        status
        gateway
        createdAt
        processedAt
        authorizationExpiresAt
        amountSet {
          shopMoney {
            amount
          }
        }
        parentTransaction {
          id
        }
      }
      fulfillments(first: 10) {
        id
        createdAt
        fulfillmentLineItems(first: 10) {
          pageInfo {
            hasNextPage
            endCursor
          }
          nodes {
            quantity
            lineItem {
              originalUnitPriceSet {
                shopMoney {
                  amount
                }
              }
            }
          }
        }
      }
    }
  }
`;

export const ORDER_CAPTURE = `#graphql
  mutation CaptureShipment($input: OrderCaptureInput!) {
    orderCapture(input: $input) {
      transaction {
        id
        kind
        status
      }
      userErrors {
        field
        message
      }
    }
  }
`;
