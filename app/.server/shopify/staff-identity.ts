import { abstractFetch } from "@shopify/shopify-api/runtime";
import { z } from "zod";

// Who a staff member is, as Shopify says: an online access token obtained by token exchange from
// the member's session token carries `associated_user` (id, names, email, account_owner). The OMS
// keeps only the identity, never the token.

const onlineTokenResponse = z.object({
  associated_user: z.object({
    id: z.union([z.number(), z.string()]).transform(String),
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
    email: z.string().nullish(),
    account_owner: z.boolean(),
  }),
});

export type StaffIdentity = { userId: string; accountOwner: boolean; name: string | null; email: string | null };

/** Token exchange for an online access token; null when Shopify cannot be asked or refuses (the caller falls back to what it knows). */
export async function fetchStaffIdentity(shop: string, sessionToken: string, apiKey: string, apiSecret: string): Promise<StaffIdentity | null> {
  const body = new URLSearchParams({
    client_id: apiKey,
    client_secret: apiSecret,
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    subject_token: sessionToken,
    subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
    requested_token_type: "urn:shopify:params:oauth:token-type:online-access-token",
  });
  try {
    const res = await abstractFetch(`https://${shop}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: body.toString(),
      signal: AbortSignal.timeout(2_000),
    });
    if (!res.ok) return null;
    const parsed = onlineTokenResponse.safeParse(await res.json());
    if (!parsed.success) return null;
    const u = parsed.data.associated_user;
    return { userId: u.id, accountOwner: u.account_owner, name: [u.first_name, u.last_name].filter(Boolean).join(" ") || null, email: u.email ?? null };
  } catch {
    return null;
  }
}
