// Changes after purchase in Shopify (../shared/research/shopify.md §4.1, order editing): cancel,
// edit, address, cancellation requests to fulfilment services, and the refund a line cancel owes.

export const ORDER_CANCEL = `#graphql
  mutation ChangesOrderCancel($id: ID!, $restock: Boolean!, $refund: Boolean, $reason: OrderCancelReason!, $note: String) {
    orderCancel(orderId: $id, restock: $restock, refund: $refund, reason: $reason, notifyCustomer: false, staffNote: $note) {
      job {
        id
        done
      }
      orderCancelUserErrors {
        code
        field
        message
      }
    }
  }
`;

export const ORDER_EDIT_BEGIN = `#graphql
  mutation ChangesEditBegin($id: ID!) {
    orderEditBegin(id: $id) {
      calculatedOrder {
        id
        lineItems(first: 50) {
          nodes {
            id
            quantity
            editableQuantity
            variant {
              id
            }
          }
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const ORDER_EDIT_SET_QUANTITY = `#graphql
  mutation ChangesEditSetQuantity($id: ID!, $lineItemId: ID!, $quantity: Int!, $restock: Boolean) {
    orderEditSetQuantity(id: $id, lineItemId: $lineItemId, quantity: $quantity, restock: $restock) {
      calculatedOrder {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const ORDER_EDIT_ADD_VARIANT = `#graphql
  mutation ChangesEditAddVariant($id: ID!, $variantId: ID!, $quantity: Int!, $locationId: ID) {
    orderEditAddVariant(id: $id, variantId: $variantId, quantity: $quantity, locationId: $locationId, allowDuplicates: false) {
      calculatedLineItem {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const ORDER_EDIT_COMMIT = `#graphql
  mutation ChangesEditCommit($id: ID!, $note: String) {
    orderEditCommit(id: $id, notifyCustomer: false, staffNote: $note) {
      order {
        id
        totalOutstandingSet {
          shopMoney {
            amount
            currencyCode
          }
        }
      }
      successMessages
      userErrors {
        field
        message
      }
    }
  }
`;

export const ORDER_UPDATE_ADDRESS = `#graphql
  mutation ChangesAddress($input: OrderInput!) {
    orderUpdate(input: $input) {
      order {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const FO_REQUEST_CANCELLATION = `#graphql
  mutation ChangesRequestCancellation($id: ID!, $message: String) {
    fulfillmentOrderSubmitCancellationRequest(id: $id, message: $message) {
      fulfillmentOrder {
        id
        status
        requestStatus
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const ORDER_PAYMENTS = `#graphql
  query ChangesOrderPayments($id: ID!) {
    order(id: $id) {
      id
      currencyCode
      transactions(first: 20) {
        id
        kind
        status
        gateway
      }
    }
  }
`;

export const REFUND_CREATE = `#graphql
  mutation ChangesRefund($input: RefundInput!, $key: String!) {
    refundCreate(input: $input) @idempotent(key: $key) {
      refund {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const VARIANT_SIBLINGS = `#graphql
  query ChangesVariantSiblings($id: ID!) {
    productVariant(id: $id) {
      id
      product {
        title
        variants(first: 20) {
          pageInfo {
            hasNextPage
            endCursor
          }
          nodes {
            id
            sku
            title
            price
            inventoryItem {
              id
            }
          }
        }
      }
    }
  }
`;
