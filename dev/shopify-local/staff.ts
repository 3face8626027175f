// Staff users of each stand-in shop, as Shopify admin knows them: the id a session token carries in
// `sub`, and what an online access token's `associated_user` says (names, email, account_owner).
// User 1 is the shop's owner unless the shop's staff list says otherwise.
import { z } from "zod";
import type { ShopState } from "./store";

export const staffUsersSchema = z
  .object({
    users: z
      .array(
        z.object({
          id: z.number().int().positive(),
          firstName: z.string(),
          lastName: z.string(),
          email: z.string().email(),
          accountOwner: z.boolean().default(false),
        }),
      )
      .min(1),
  })
  .strict();
export type StaffUser = z.infer<typeof staffUsersSchema>["users"][number];

const staffByShop = new WeakMap<ShopState, Map<number, StaffUser>>();

export function setStaffUsers(shop: ShopState, users: StaffUser[]): void {
  staffByShop.set(shop, new Map(users.map((u) => [u.id, u])));
}

/** The associated_user of an online access token for this user (Shopify's token-exchange response). */
export function associatedUser(shop: ShopState, userId: number) {
  const known = staffByShop.get(shop)?.get(userId);
  const u = known ?? {
    id: userId,
    firstName: "Staff",
    lastName: String(userId),
    email: `staff${userId}@${shop.domain}`,
    accountOwner: !staffByShop.has(shop) && userId === 1,
  };
  return {
    id: u.id,
    first_name: u.firstName,
    last_name: u.lastName,
    email: u.email,
    account_owner: u.accountOwner,
    locale: "en",
    collaborator: false,
    email_verified: true,
  };
}
