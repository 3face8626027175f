// Inventory reads and the hold-back write. Quantity names per Shopify's InventoryQuantity docs;
// costs stay well under the 1,000-point cap (a page of 100 levels ≈ 300 points requested).

// `available` is not asked for: Shopify's on_hand is available + committed + the unavailable states
// (reserved, damaged, safety_stock, quality_control), so it follows from the others, and each name
// asked for is an object that costs a point per level read.
export const QUANTITY_NAMES = ["on_hand", "committed", "reserved", "safety_stock", "damaged", "quality_control"] as const;

export const SHOP_LOCATIONS = `#graphql
  query ShopLocations($after: String) {
    locations(first: 50, after: $after, includeInactive: true) {
      nodes {
        id
        name
        isActive
        fulfillsOnlineOrders
        address {
          countryCode
          latitude
          longitude
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const LOCATION_LEVELS_PAGE = `#graphql
  query LocationLevelsPage($id: ID!, $after: String, $names: [String!]!) {
    location(id: $id) {
      inventoryLevels(first: 100, after: $after) {
        nodes {
          item {
            id
            sku
            variant {
              id
              displayName
            }
          }
          quantities(names: $names) {
            name
            quantity
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

// Single levels by id (Shopify's InventoryLevel ids name the location and the item): a webhook or a
// reservation names one level, and a level costs about a tenth of an item's every level. The level's
// own id names its item and location, so neither object is selected (a point each per level). Two
// documents, not one with `@include`: a query's requested cost is computed from its text before
// it runs, so a skipped selection would still be charged (as the stand-in charges it) on every
// level read, and for a level the requested cost is what is charged (its quantities return more
// objects than the request counts).
export const LEVELS_BY_ID = `#graphql
  query LevelsById($ids: [ID!]!, $names: [String!]!) {
    nodes(ids: $ids) {
      ... on InventoryLevel {
        id
        quantities(names: $names) {
          name
          quantity
        }
      }
    }
  }
`;

// The same, for levels the OMS does not hold yet: with the item's SKU and title.
export const LEVELS_BY_ID_WITH_ITEM = `#graphql
  query LevelsByIdWithItem($ids: [ID!]!, $names: [String!]!) {
    nodes(ids: $ids) {
      ... on InventoryLevel {
        id
        item {
          id
          sku
          variant {
            id
            displayName
          }
        }
        quantities(names: $names) {
          name
          quantity
        }
      }
    }
  }
`;

export const ITEM_LEVELS = `#graphql
  query ItemLevels($ids: [ID!]!, $names: [String!]!) {
    nodes(ids: $ids) {
      ... on InventoryItem {
        id
        sku
        variant {
          id
          displayName
        }
        inventoryLevels(first: 25) {
          pageInfo {
            hasNextPage
            endCursor
          }
          nodes {
            location {
              id
            }
            quantities(names: $names) {
              name
              quantity
            }
          }
        }
      }
    }
  }
`;

/** The next page of one item's levels (an item stocked at more locations than ITEM_LEVELS reads). */
export const ITEM_LEVELS_PAGE = `#graphql
  query ItemLevelsPage($id: ID!, $after: String!, $names: [String!]!) {
    inventoryItem(id: $id) {
      id
      inventoryLevels(first: 100, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          location {
            id
          }
          quantities(names: $names) {
            name
            quantity
          }
        }
      }
    }
  }
`;

export const HOLD_BACK = `#graphql
  mutation HoldBack($input: InventoryMoveQuantitiesInput!, $key: String!) {
    inventoryMoveQuantities(input: $input) @idempotent(key: $key) {
      inventoryAdjustmentGroup {
        id
        changes {
          name
          quantityAfterChange
          item {
            id
          }
          location {
            id
          }
        }
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;
