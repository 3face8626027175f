// The app installed on a shop as far as webhook processing is concerned: an offline session, as
// the token exchange stores it (no Shop row, so shop-wide jobs such as retention do not see it).
import { db } from "~/.server/db/client";

export async function installApp(shop: string): Promise<void> {
  await db().session.upsert({
    where: { id: `offline_${shop}` },
    create: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "shpat_test" },
    update: {},
  });
}
