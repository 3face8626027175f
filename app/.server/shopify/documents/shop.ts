export const SHOP_SUMMARY = `#graphql
  query ShopSummary {
    shop {
      name
      myshopifyDomain
      currencyCode
      plan {
        partnerDevelopment
        shopifyPlus
      }
    }
  }
`;
