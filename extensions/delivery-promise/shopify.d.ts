/* eslint-disable @typescript-eslint/ban-ts-comment -- the shape `shopify app dev` generates */
// What `shopify app dev` generates: the `shopify` global and the Polaris web components each
// target may use, typed per module.
import "@shopify/ui-extensions";

//@ts-ignore
declare module "./src/Shipping.tsx" {
  const shopify: import("@shopify/ui-extensions/purchase.checkout.shipping-option-list.render-after").Api;
  const globalThis: { shopify: typeof shopify };
}
//@ts-ignore
declare module "./src/ThankYou.tsx" {
  const shopify: import("@shopify/ui-extensions/purchase.thank-you.block.render").Api;
  const globalThis: { shopify: typeof shopify };
}
//@ts-ignore
declare module "./src/OrderStatus.tsx" {
  const shopify: import("@shopify/ui-extensions/customer-account.order-status.block.render").Api;
  const globalThis: { shopify: typeof shopify };
}
//@ts-ignore
declare module "./src/Attached.tsx" {
  const shopify: import("@shopify/ui-extensions/purchase.thank-you.block.render").Api;
  const globalThis: { shopify: typeof shopify };
}
//@ts-ignore
declare module "./src/promise.ts" {
  const shopify: import("@shopify/ui-extensions/purchase.checkout.shipping-option-list.render-after").Api;
  const globalThis: { shopify: typeof shopify };
}
