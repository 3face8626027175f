/* eslint-disable @typescript-eslint/ban-ts-comment -- the shape `shopify app dev` generates */
// What `shopify app dev` generates: the `shopify` global and the Polaris web components each
// target may use, typed per module.
import "@shopify/ui-extensions";

//@ts-ignore
declare module "./src/MenuItem.tsx" {
  const shopify: import("@shopify/ui-extensions/customer-account.order.action.menu-item.render").Api;
  const globalThis: { shopify: typeof shopify };
}
//@ts-ignore
declare module "./src/ReturnAction.tsx" {
  const shopify: import("@shopify/ui-extensions/customer-account.order.action.render").Api;
  const globalThis: { shopify: typeof shopify };
}
//@ts-ignore
declare module "./src/returns.ts" {
  const shopify: import("@shopify/ui-extensions/customer-account.order.action.render").Api;
  const globalThis: { shopify: typeof shopify };
}
