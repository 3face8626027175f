import type { z } from "zod";
import { AMAZON_ROLE_LABEL, parseRoles } from "~/domain/marketplace/amazon-roles";
import type { amazonAccountForm, amazonRolesForm, amazonStockForm } from "~/schemas/amazon";
import { accessToken, AmazonAuthError, type AmazonCredentials } from "../../amazon/client";
import { audit, findAccount, setAccountStatus, setGrantedRoles, updateStockSettings, upsertAccount, type AccountRow } from "../../db/amazon";
import { scheduleAmazonSync } from "../../queue/queues";
import { openSecret, sealSecret } from "../../secrets";

const context = (shop: string, sellerId: string) => `${shop}|${sellerId}`;

/**
 * Connects (or re-connects) a seller account: the LWA client secret and refresh token are sealed
 * before they are stored and never leave the server again; the audit names who did it but holds no
 * secret. The account's repeating sync starts at once.
 */
export async function connectAmazonAccount(shop: string, form: z.infer<typeof amazonAccountForm>, actor: string, now: Date) {
  const ctx = context(shop, form.sellerId);
  const { id } = await upsertAccount({
    shop,
    sellerId: form.sellerId,
    marketplaceIds: form.marketplaceIds,
    lwaClientId: form.lwaClientId,
    lwaClientSecretEnc: sealSecret(form.lwaClientSecret, ctx),
    refreshTokenEnc: sealSecret(form.refreshToken, ctx),
    createdBy: actor,
  });
  await audit(shop, now, actor, `Connected Amazon seller ${form.sellerId} (${form.marketplaceIds.join(", ")})`, {
    sellerId: form.sellerId,
    marketplaceIds: form.marketplaceIds,
    lwaClientId: form.lwaClientId,
  });
  await scheduleAmazonSync(id);
  return { id };
}

export function credentialsOf(a: NonNullable<AccountRow>): AmazonCredentials {
  const ctx = context(a.shop, a.sellerId);
  return {
    accountId: a.id,
    shop: a.shop,
    sellerId: a.sellerId,
    region: a.region,
    lwaClientId: a.lwaClientId,
    lwaClientSecret: openSecret(a.lwaClientSecretEnc, ctx),
    refreshToken: openSecret(a.refreshTokenEnc, ctx),
    roles: parseRoles(a.grantedRoles),
  };
}

export type ConnectionTest = { ok: true; message: string } | { ok: false; message: string };

/** "Test connection": a fresh Login with Amazon token proves the client and the refresh token. */
export async function testAmazonConnection(shop: string, accountId: string, actor: string, now: Date): Promise<ConnectionTest> {
  const a = await findAccount(accountId);
  if (!a || a.shop !== shop) return { ok: false, message: "No such Amazon account" };
  try {
    await accessToken(credentialsOf(a), true);
    if (a.status === "auth_failed") await setAccountStatus(a.id, "active", null, now);
    await audit(shop, now, actor, `Tested the connection to Amazon seller ${a.sellerId}: ok`, { sellerId: a.sellerId });
    return { ok: true, message: `Login with Amazon accepted seller ${a.sellerId}'s credentials` };
  } catch (e) {
    const message = e instanceof AmazonAuthError ? e.message : `Amazon could not be reached: ${e instanceof Error ? e.message : String(e)}`;
    if (e instanceof AmazonAuthError) await setAccountStatus(a.id, "auth_failed", message, now);
    return { ok: false, message };
  }
}

export async function saveAmazonStockSettings(shop: string, form: z.infer<typeof amazonStockForm>, actor: string, now: Date) {
  const ok = await updateStockSettings(shop, form.accountId, form.stockBuffer, form.locationIds);
  if (ok)
    await audit(shop, now, actor, `Amazon stock: buffer ${form.stockBuffer}, locations ${form.locationIds || "all"}`, {
      accountId: form.accountId,
      stockBuffer: form.stockBuffer,
      locationIds: form.locationIds,
    });
  return ok;
}

/**
 * Records the restricted roles Amazon granted the developer app (Seller Central / the developer
 * profile says which; the OMS cannot ask Amazon). Audited with who and what changed. The next sync
 * asks for the personal data they open; orders already read keep what was read then.
 */
export async function saveAmazonRoles(shop: string, form: z.infer<typeof amazonRolesForm>, actor: string, now: Date) {
  const account = await findAccount(form.accountId);
  if (!account || account.shop !== shop) return false;
  const before = parseRoles(account.grantedRoles);
  const after = parseRoles(form.roles);
  const label = (rs: readonly string[]) => (rs.length ? rs.map((r) => AMAZON_ROLE_LABEL[r as keyof typeof AMAZON_ROLE_LABEL]).join(", ") : "none");
  return setGrantedRoles(shop, form.accountId, account.grantedRoles, after, {
    at: now,
    actor,
    summary: `Amazon seller ${account.sellerId}: restricted roles granted ${label(after)} (was ${label(before)})`,
    data: { accountId: account.id, sellerId: account.sellerId, before, after },
  });
}
