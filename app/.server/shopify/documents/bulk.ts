export const ORDERS_COUNT = `#graphql
  query OrdersCount($query: String) {
    ordersCount(query: $query, limit: null) {
      count
      precision
    }
  }
`;

export const BULK_RUN_QUERY = `#graphql
  mutation BulkRunQuery($query: String!) {
    bulkOperationRunQuery(query: $query, groupObjects: false) {
      bulkOperation {
        id
        status
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const BULK_OPERATION = `#graphql
  query BulkOperationStatus($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      objectCount
      url
    }
  }
`;
