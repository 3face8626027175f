// Returns and refunds on Shopify's returns model (../shared/research/shopify.md §4.3). Fragments are
// written out in each document (no interpolation): each tagged string is a whole document.

export const ORDER_RETURNABLES = `#graphql
  query OrderReturnables($id: ID!) {
    order(id: $id) {
      id
      name
      currencyCode
      customer {
        id
      }
      fulfillments(first: 50) {
        id
        trackingInfo(first: 5) {
          number
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
    returnLineItems(first: 25) {
      pageInfo {
        hasNextPage
        endCursor
      }
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
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        quantity
        variantId
        lineItems {
          id
          originalUnitPriceSet {
            shopMoney {
              amount
            }
          }
        }
      }
    }
    reverseFulfillmentOrders(first: 5) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        lineItems(first: 25) {
          pageInfo {
            hasNextPage
            endCursor
          }
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
    returnLineItems(first: 25) {
      pageInfo {
        hasNextPage
        endCursor
      }
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
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        quantity
        variantId
        lineItems {
          id
          originalUnitPriceSet {
            shopMoney {
              amount
            }
          }
        }
      }
    }
    reverseFulfillmentOrders(first: 5) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        lineItems(first: 25) {
          pageInfo {
            hasNextPage
            endCursor
          }
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
    returnLineItems(first: 25) {
      pageInfo {
        hasNextPage
        endCursor
      }
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
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        quantity
        variantId
        lineItems {
          id
          originalUnitPriceSet {
            shopMoney {
              amount
            }
          }
        }
      }
    }
    reverseFulfillmentOrders(first: 5) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        lineItems(first: 25) {
          pageInfo {
            hasNextPage
            endCursor
          }
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
      pageInfo {
        hasNextPage
        endCursor
      }
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
      transactions(first: 100) {
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
  query OmsOrderHolds($id: ID!, $after: String) {
    order(id: $id) {
      fulfillmentOrders(first: 20, after: $after) {
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
    orders(first: 10, query: $query, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        refunds(first: 25) {
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

// Next pages of the connections above: a read is followed to its end (an order with more
// fulfilment lines, returns or return lines than one page holds is never cut off).

export const FULFILLMENT_LINES_PAGE = `#graphql
  query OmsFulfillmentLinesPage($id: ID!, $after: String) {
    fulfillment(id: $id) {
      fulfillmentLineItems(first: 50, after: $after) {
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
  }
`;

export const ORDER_RETURNS_PAGE = `#graphql
  query OmsOrderReturnsPage($id: ID!, $after: String!) {
    order(id: $id) {
      returns(first: 5, after: $after) {
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

export const RETURN_LINES_PAGE = `#graphql
  query OmsReturnLinesPage($id: ID!, $after: String!) {
    return(id: $id) {
      returnLineItems(first: 50, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
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
    }
  }
`;

export const RETURN_EXCHANGE_PAGE = `#graphql
  query OmsReturnExchangePage($id: ID!, $after: String!) {
    return(id: $id) {
      exchangeLineItems(first: 50, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          quantity
          variantId
          lineItems {
            id
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

export const RETURN_RFOS_PAGE = `#graphql
  query OmsReturnRfosPage($id: ID!, $after: String!) {
    return(id: $id) {
      reverseFulfillmentOrders(first: 5, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          lineItems(first: 50) {
            pageInfo {
              hasNextPage
              endCursor
            }
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
  }
`;

export const RFO_LINES_PAGE = `#graphql
  query OmsRfoLinesPage($id: ID!, $after: String!) {
    reverseFulfillmentOrder(id: $id) {
      lineItems(first: 50, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          fulfillmentLineItem {
            id
          }
        }
      }
    }
  }
`;

export const REFUND_TRANSACTIONS_PAGE = `#graphql
  query OmsRefundTransactionsPage($id: ID!, $after: String!) {
    refund(id: $id) {
      transactions(first: 50, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
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
  }
`;
