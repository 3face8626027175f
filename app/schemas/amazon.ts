import { AMAZON_PII_ROLES } from "~/domain/marketplace/amazon-roles";
import { z } from "zod";

// What enters from SP-API (Orders v2026-01-01 and v0 confirmShipment, Listings Items, LWA), parsed
// once at the adapter's edge; the fields the OMS uses, with everything else dropped. Shapes follow
// the models in dev/contracts/amazon.

const money = z.object({ amount: z.string(), currencyCode: z.string() });

export const amazonAddress = z.object({
  name: z.string().optional(),
  companyName: z.string().optional(),
  addressLine1: z.string().optional(),
  addressLine2: z.string().optional(),
  city: z.string().optional(),
  stateOrRegion: z.string().optional(),
  postalCode: z.string().optional(),
  countryCode: z.string().optional(),
  phone: z.string().optional(),
});

export const amazonOrderItem = z.object({
  orderItemId: z.string(),
  quantityOrdered: z.number().int(),
  product: z.object({
    asin: z.string().optional(),
    title: z.string().optional(),
    sellerSku: z.string().optional(),
    price: z.object({ unitPrice: money.optional() }).optional(),
  }),
  fulfillment: z.object({ quantityFulfilled: z.number().int().optional(), quantityUnfulfilled: z.number().int().optional() }).optional(),
  cancellation: z.object({ cancellationRequest: z.object({ requester: z.string().optional(), cancelReason: z.string().optional() }).optional() }).optional(),
});

export const amazonOrder = z.object({
  orderId: z.string(),
  createdTime: z.string().datetime({ offset: true }),
  lastUpdatedTime: z.string().datetime({ offset: true }),
  salesChannel: z.object({ channelName: z.string(), marketplaceId: z.string().optional(), marketplaceName: z.string().optional() }),
  buyer: z.object({ buyerName: z.string().optional(), buyerEmail: z.string().optional() }).optional(),
  recipient: z.object({ deliveryAddress: amazonAddress.optional() }).optional(),
  proceeds: z.object({ grandTotal: money.optional() }).optional(),
  // Amazon may add statuses (its own migration data names INVOICE_UNCONFIRMED): kept as a string.
  fulfillment: z.object({ fulfillmentStatus: z.string(), fulfilledBy: z.string().optional(), fulfillmentServiceLevel: z.string().optional() }).optional(),
  orderItems: z.array(amazonOrderItem),
  packages: z.array(z.object({ packageReferenceId: z.string(), trackingNumber: z.string().optional() })).optional(),
});
export type AmazonOrderData = z.infer<typeof amazonOrder>;

export const searchOrdersResponse = z.object({
  orders: z.array(amazonOrder),
  pagination: z.object({ nextToken: z.string().optional() }).optional(),
  lastUpdatedBefore: z.string().datetime({ offset: true }).optional(),
  createdBefore: z.string().datetime({ offset: true }).optional(),
});

export const getOrderResponse = z.object({ order: amazonOrder });

export const listingsItemResponse = z.object({
  sku: z.string(),
  fulfillmentAvailability: z.array(z.object({ fulfillmentChannelCode: z.string(), quantity: z.number().int().optional() })).optional(),
});

export const listingsSubmissionResponse = z.object({
  sku: z.string(),
  status: z.enum(["ACCEPTED", "INVALID", "VALID"]),
  submissionId: z.string(),
  issues: z.array(z.object({ code: z.string(), message: z.string(), severity: z.string() })).optional(),
});

export const spApiErrors = z.object({ errors: z.array(z.object({ code: z.string(), message: z.string(), details: z.string().optional() })) });

export const lwaTokenResponse = z.object({ access_token: z.string(), token_type: z.string(), expires_in: z.number() });
export const lwaErrorResponse = z.object({ error: z.string(), error_description: z.string().optional() });

/** Marketplace ids are Amazon's (e.g. ATVPDKIKX0DER); sellers' ids are upper-case alphanumerics. */
export const amazonAccountForm = z.object({
  sellerId: z
    .string()
    .trim()
    .regex(/^[A-Z0-9]{5,20}$/, "Seller id: 5–20 upper-case letters and digits"),
  marketplaceIds: z
    .string()
    .trim()
    .transform((s) => s.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[A-Z0-9]{10,14}$/, "Marketplace ids look like ATVPDKIKX0DER")).min(1, "At least one marketplace")),
  lwaClientId: z.string().trim().min(1, "LWA client id is required"),
  lwaClientSecret: z.string().min(1, "LWA client secret is required"),
  refreshToken: z.string().min(1, "Refresh token is required"),
});

export const amazonRolesForm = z.object({
  accountId: z.string().min(1),
  roles: z.array(z.enum(AMAZON_PII_ROLES)).max(AMAZON_PII_ROLES.length).default([]),
});

export const amazonStockForm = z.object({
  accountId: z.string().min(1),
  stockBuffer: z.coerce.number().int().min(0).max(100_000),
  locationIds: z.string().default(""),
});

/** The part of Shopify's fulfillments/* payload a shipment confirmation needs (the rest passes through). */
export const shopifyFulfillmentForAmazon = z.object({
  id: z.union([z.number().int(), z.string()]),
  admin_graphql_api_id: z.string().optional(),
  status: z.string(),
  created_at: z.string(),
  tracking_company: z.string().nullable().optional(),
  tracking_number: z.string().nullable().optional(),
  line_items: z.array(z.object({ sku: z.string().nullable().optional(), quantity: z.number().int() }).passthrough()).default([]),
});

export const confirmShipmentRequest = z.object({
  marketplaceId: z.string(),
  packageDetail: z.object({
    packageReferenceId: z.string(),
    carrierCode: z.string(),
    carrierName: z.string().optional(),
    trackingNumber: z.string(),
    shipDate: z.string(),
    orderItems: z.array(z.object({ orderItemId: z.string(), quantity: z.number().int() })),
  }),
});
