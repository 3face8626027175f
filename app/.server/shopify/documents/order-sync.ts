// Requested cost stays well under Shopify's 1,000-point cap (about 600): 50 lines, 5 fulfillment
// orders of up to 25 lines, 50 fulfillments. Every connection can carry its pageInfo, and a larger
// order is read to the end with the page documents below (order-sync.ts); fulfillments is a list,
// not a connection, so an order with more than the list holds is refused, not truncated.
// The pageInfo (a point each) is asked for only `$withPageInfo`: a page shorter than its `first`
// is the last, so the first read goes without, and an order with a full page is read again with
// it (order-sync.ts, `readWithPages`).
// Product tags (a point per line) are read only when `$withTags`: the shop's sourcing rules exclude
// by product tag (route-order.ts reads them again if that changes before an order is routed).
export const ORDER_FOR_SYNC = `#graphql
  query OrderForSync($id: ID!, $withTags: Boolean!, $withPageInfo: Boolean!) {
    order(id: $id) {
      id
      name
      createdAt
      updatedAt
      cancelledAt
      displayFinancialStatus
      displayFulfillmentStatus
      currencyCode
      risk {
        recommendation
        assessments {
          riskLevel
        }
      }
      paymentTerms {
        paymentTermsName
        overdue
      }
      currentTotalPriceSet {
        shopMoney {
          amount
          currencyCode
        }
      }
      email
      sourceName
      tags
      customAttributes {
        key
        value
      }
      customer {
        firstName
        lastName
      }
      shippingAddress {
        name
        company
        address1
        address2
        city
        provinceCode
        zip
        countryCodeV2
        phone
        latitude
        longitude
      }
      lineItems(first: 50) {
        pageInfo @include(if: $withPageInfo) {
          hasNextPage
          endCursor
        }
        nodes {
          id
          sku
          title
          variant {
            id
          }
          quantity
          currentQuantity
          originalUnitPriceSet {
            shopMoney {
              amount
            }
          }
        }
      }
      fulfillmentOrders(first: 5) {
        pageInfo @include(if: $withPageInfo) {
          hasNextPage
          endCursor
        }
        nodes {
          id
          status
          requestStatus
          fulfillAt
          deliveryMethod {
            methodType
          }
          fulfillmentHolds {
            handle
          }
          assignedLocation {
            name
            location {
              id
            }
          }
          lineItems(first: 25) {
            pageInfo @include(if: $withPageInfo) {
              hasNextPage
              endCursor
            }
            nodes {
              id
              sku
              inventoryItemId
              totalQuantity
              remainingQuantity
              lineItem {
                id
                product @include(if: $withTags) {
                  tags
                }
              }
            }
          }
        }
      }
      fulfillments(first: 50) {
        id
        status
        displayStatus
        trackingInfo(first: 5) {
          company
          number
          url
        }
      }
    }
  }
`;

// The fulfilment side alone (same selections as ORDER_FOR_SYNC): after orders/create, whose payload
// carried the rest of the order, and after the OMS's own moves. About half the cost. Without
// `$withLineIds` a fulfilment-order line's order line is not read (a point a line): the intake names
// it by the line's SKU, which the orders/create payload showed to be unique (fetchOrderFulfilment).
export const ORDER_FULFILMENT_FOR_SYNC = `#graphql
  query OrderFulfilmentForSync($id: ID!, $withTags: Boolean!, $withLineIds: Boolean!, $withPageInfo: Boolean!) {
    order(id: $id) {
      id
      updatedAt
      cancelledAt
      displayFinancialStatus
      risk {
        recommendation
        assessments {
          riskLevel
        }
      }
      paymentTerms {
        paymentTermsName
        overdue
      }
      fulfillmentOrders(first: 5) {
        pageInfo @include(if: $withPageInfo) {
          hasNextPage
          endCursor
        }
        nodes {
          id
          status
          requestStatus
          fulfillAt
          deliveryMethod {
            methodType
          }
          fulfillmentHolds {
            handle
          }
          assignedLocation {
            name
            location {
              id
            }
          }
          lineItems(first: 25) {
            pageInfo @include(if: $withPageInfo) {
              hasNextPage
              endCursor
            }
            nodes {
              id
              sku
              inventoryItemId
              totalQuantity
              remainingQuantity
              lineItem @include(if: $withLineIds) {
                id
                product @include(if: $withTags) {
                  tags
                }
              }
            }
          }
        }
      }
      fulfillments(first: 50) {
        id
        status
        displayStatus
        trackingInfo(first: 5) {
          company
          number
          url
        }
      }
    }
  }
`;

/** The next page of an order's line items (ORDER_FOR_SYNC's selection). */
export const ORDER_LINE_ITEMS_PAGE = `#graphql
  query OrderLineItemsPage($id: ID!, $after: String!) {
    order(id: $id) {
      id
      lineItems(first: 100, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          sku
          title
          variant {
            id
          }
          quantity
          currentQuantity
          originalUnitPriceSet {
            shopMoney {
              amount
            }
          }
        }
      }
    }
  }
`;

/** The next page of an order's fulfilment orders (the sync documents' selection). */
export const ORDER_FULFILLMENT_ORDERS_PAGE = `#graphql
  query OrderFulfillmentOrdersPage($id: ID!, $after: String!, $withTags: Boolean!, $withLineIds: Boolean!) {
    order(id: $id) {
      id
      fulfillmentOrders(first: 5, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          status
          requestStatus
          deliveryMethod {
            methodType
          }
          fulfillmentHolds {
            handle
          }
          assignedLocation {
            name
            location {
              id
            }
          }
          lineItems(first: 25) {
            pageInfo {
              hasNextPage
              endCursor
            }
            nodes {
              id
              sku
              inventoryItemId
              totalQuantity
              remainingQuantity
              lineItem @include(if: $withLineIds) {
                id
                product @include(if: $withTags) {
                  tags
                }
              }
            }
          }
        }
      }
    }
  }
`;

/** The next page of one fulfilment order's line items. */
export const FULFILLMENT_ORDER_LINES_PAGE = `#graphql
  query FulfillmentOrderLinesPage($id: ID!, $after: String!, $withTags: Boolean!, $withLineIds: Boolean!) {
    fulfillmentOrder(id: $id) {
      id
      lineItems(first: 100, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          sku
          inventoryItemId
          totalQuantity
          remainingQuantity
          lineItem @include(if: $withLineIds) {
            id
            product @include(if: $withTags) {
              tags
            }
          }
        }
      }
    }
  }
`;

export const FULFILLMENT_ORDER_OWNER = `#graphql
  query FulfillmentOrderOwner($id: ID!) {
    fulfillmentOrder(id: $id) {
      id
      orderId
    }
  }
`;

export const ORDERS_FOR_BACKFILL = `#graphql
  query OrdersForBackfill($first: Int!, $after: String, $query: String) {
    orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
      }
    }
  }
`;

/** Product tags by inventory item: for lines synced before a rule needed them (route-order.ts). */
export const PRODUCT_TAGS_BY_ITEM = `#graphql
  query ProductTagsByItem($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on InventoryItem {
        id
        variant {
          product {
            tags
          }
        }
      }
    }
  }
`;
