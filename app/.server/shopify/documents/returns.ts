// Returns and refunds on Shopify's returns model (../shared/research/shopify.md §4.3). Fragments are
// written out in each document (no interpolation): each tagged string is a whole document.

export const ORDER_RETURNABLES = `#graphql
  query OrderReturnables($id: ID!) {
    order(id: $id) {
      id
      name
      currencyCode
      fulfillments(first: 10) {
        id
        trackingInfo(first: 5) {
          number
        }
        fulfillmentLineItems(first: 10) {
          pageInfo {
            hasNextPage
            endCursor
          }
          nodes {
            id
            quantity
            lineItem {
              id
              sku
              title
              originalUnitPriceSet {
                shopMoney {
                  amount
                }
              }
              variant {
                inventoryItem {
                  id
                }
              }
            }
          }
        }
      }
      returns(first: 5) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          status
          returnLineItems(first: 20) {
            pageInfo {
              hasNextPage
              endCursor
            }
            nodes {
              ... on ReturnLineItem {
                quantity
                fulfillmentLineItem {
                  id
                }
              }
            }
          }
        }
      }
    }
  }
`;

export const RETURN_READ = `#graphql
  fragment OmsReturn on Return {
    id
    name
    status
    order {
      id
    }
    decline {
      reason
      note
    }
    returnLineItems(first: 20) {
      nodes {
        id
        quantity
        ... on ReturnLineItem {
          processedQuantity
          fulfillmentLineItem {
            id
            lineItem {
              id
              sku
              title
              originalUnitPriceSet {
                shopMoney {
                  amount
                }
              }
              variant {
                inventoryItem {
                  id
                }
              }
            }
          }
        }
      }
    }
    exchangeLineItems(first: 10) {
      nodes {
        id
        quantity
        variantId
      }
    }
    reverseFulfillmentOrders(first: 2) {
      nodes {
        id
        lineItems(first: 20) {
          nodes {
            id
            fulfillmentLineItem {
              id
            }
          }
        }
      }
    }
  }
  query OmsReturnRead($id: ID!) {
    return(id: $id) {
      ...OmsReturn
    }
  }
`;

export const RETURN_REQUEST = `#graphql
  fragment OmsReturn on Return {
    id
    name
    status
    order {
      id
    }
    decline {
      reason
      note
    }
    returnLineItems(first: 20) {
      nodes {
        id
        quantity
        ... on ReturnLineItem {
          processedQuantity
          fulfillmentLineItem {
            id
            lineItem {
              id
              sku
              title
              originalUnitPriceSet {
                shopMoney {
                  amount
                }
              }
              variant {
                inventoryItem {
                  id
                }
              }
            }
          }
        }
      }
    }
    exchangeLineItems(first: 10) {
      nodes {
        id
        quantity
        variantId
      }
    }
    reverseFulfillmentOrders(first: 2) {
      nodes {
        id
        lineItems(first: 20) {
          nodes {
            id
            fulfillmentLineItem {
              id
            }
          }
        }
      }
    }
  }
  mutation OmsReturnRequest($input: ReturnRequestInput!) {
    returnRequest(input: $input) {
      return {
        ...OmsReturn
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

export const RETURN_CREATE = `#graphql
  fragment OmsReturn on Return {
    id
    name
    status
    order {
      id
    }
    decline {
      reason
      note
    }
    returnLineItems(first: 20) {
      nodes {
        id
        quantity
        ... on ReturnLineItem {
          processedQuantity
          fulfillmentLineItem {
            id
            lineItem {
              id
              sku
              title
              originalUnitPriceSet {
                shopMoney {
                  amount
                }
              }
              variant {
                inventoryItem {
                  id
                }
              }
            }
          }
        }
      }
    }
    exchangeLineItems(first: 10) {
      nodes {
        id
        quantity
        variantId
      }
    }
    reverseFulfillmentOrders(first: 2) {
      nodes {
        id
        lineItems(first: 20) {
          nodes {
            id
            fulfillmentLineItem {
              id
            }
          }
        }
      }
    }
  }
  mutation OmsReturnCreate($input: ReturnInput!) {
    returnCreate(returnInput: $input) {
      return {
        ...OmsReturn
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

export const RETURN_APPROVE = `#graphql
  mutation OmsReturnApprove($id: ID!) {
    returnApproveRequest(input: { id: $id }) {
      return {
        id
        status
      }
      userErrors {
        code
        message
      }
    }
  }
`;

export const RETURN_DECLINE = `#graphql
  mutation OmsReturnDecline($input: ReturnDeclineRequestInput!) {
    returnDeclineRequest(input: $input) {
      return {
        id
        status
      }
      userErrors {
        code
        message
      }
    }
  }
`;

export const REVERSE_DELIVERY = `#graphql
  mutation OmsReverseDelivery($id: ID!, $lines: [ReverseDeliveryLineItemInput!]!, $tracking: ReverseDeliveryTrackingInput, $label: ReverseDeliveryLabelInput) {
    reverseDeliveryCreateWithShipping(reverseFulfillmentOrderId: $id, reverseDeliveryLineItems: $lines, trackingInput: $tracking, labelInput: $label) {
      reverseDelivery {
        id
      }
      userErrors {
        code
        message
      }
    }
  }
`;

export const RETURN_PROCESS = `#graphql
  mutation OmsReturnProcess($input: ReturnProcessInput!) {
    returnProcess(input: $input) {
      return {
        id
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

export const STOCK_STATE_ADJUST = `#graphql
  mutation OmsReturnStock($input: InventoryAdjustQuantitiesInput!, $key: String!) {
    inventoryAdjustQuantities(input: $input) @idempotent(key: $key) {
      inventoryAdjustmentGroup {
        id
      }
      userErrors {
        code
        message
      }
    }
  }
`;

export const REFUND_CREATE = `#graphql
  fragment OmsRefund on Refund {
    id
    createdAt
    totalRefundedSet {
      shopMoney {
        amount
        currencyCode
      }
      presentmentMoney {
        amount
        currencyCode
      }
    }
    transactions(first: 10) {
      nodes {
        id
        gateway
        kind
        status
        amountSet {
          shopMoney {
            amount
            currencyCode
          }
          presentmentMoney {
            amount
            currencyCode
          }
        }
      }
    }
  }
  mutation OmsRefundCreate($input: RefundInput!, $key: String!) {
    refundCreate(input: $input) @idempotent(key: $key) {
      refund {
        ...OmsRefund
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const ORDER_MONEY = `#graphql
  query OmsOrderMoney($id: ID!) {
    order(id: $id) {
      id
      name
      currencyCode
      presentmentCurrencyCode
      transactions(first: 50) {
        id
        kind
        status
        gateway
        processedAt
        createdAt
        parentTransaction {
          id
        }
        amountSet {
          shopMoney {
            amount
            currencyCode
          }
          presentmentMoney {
            amount
            currencyCode
          }
        }
      }
    }
  }
`;

export const ORDER_HOLDS = `#graphql
  query OmsOrderHolds($id: ID!) {
    order(id: $id) {
      fulfillmentOrders(first: 20) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          status
          fulfillmentHolds {
            id
            reason
          }
        }
      }
    }
  }
`;

export const REFUNDS_OF_UPDATED_ORDERS = `#graphql
  query OmsRefundsOfUpdatedOrders($query: String!, $after: String) {
    orders(first: 25, query: $query, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        refunds(first: 10) {
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
    }
  }
`;
