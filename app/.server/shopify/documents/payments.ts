// An order's payments (authorisations, captures, refunds) for the consistency checks and captures.
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
      transactions(first: 50) {
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
      fulfillments(first: 20) {
        id
        createdAt
      }
    }
  }
`;

export const FULFILLMENT_LINES = `#graphql
  query FulfillmentLines($id: ID!) {
    fulfillment(id: $id) {
      id
      fulfillmentLineItems(first: 50) {
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
