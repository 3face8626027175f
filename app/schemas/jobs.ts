import { z } from "zod";

export const processWebhookPayload = z.object({ deliveryId: z.string().min(1), shop: z.string().min(1) }).strict();
export type ProcessWebhookPayload = z.infer<typeof processWebhookPayload>;

export const requeueDeliveriesPayload = z.object({ olderThanSeconds: z.number().int().positive() }).strict();
export type RequeueDeliveriesPayload = z.infer<typeof requeueDeliveriesPayload>;
