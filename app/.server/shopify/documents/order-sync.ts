// Requested cost stays well under Shopify's 1,000-point cap: 50 lines, 10 fulfillment orders × 50 lines.
export const ORDER_FOR_SYNC = `#graphql
  query OrderForSync($id: ID!) {
    order(id: $id) {
      id
      name
      createdAt
      updatedAt
      cancelledAt
      displayFinancialStatus
      displayFulfillmentStatus
      currencyCode
      currentTotalPriceSet {
        shopMoney {
          amount
          currencyCode
        }
      }
      email
      sourceName
      tags
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
      fulfillmentOrders(first: 10) {
        nodes {
          id
          status
          requestStatus
          assignedLocation {
            name
            location {
              id
            }
          }
          lineItems(first: 50) {
            nodes {
              id
              sku
              totalQuantity
              remainingQuantity
              lineItem {
                id
              }
            }
          }
        }
      }
      fulfillments(first: 20) {
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

export const FULFILLMENT_ORDER_OWNER = `#graphql
  query FulfillmentOrderOwner($id: ID!) {
    fulfillmentOrder(id: $id) {
      id
      orderId
    }
  }
`;
