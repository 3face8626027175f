-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AmazonAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "sellerId" TEXT NOT NULL,
    "marketplaceIds" TEXT NOT NULL,
    "region" TEXT NOT NULL DEFAULT 'na',
    "lwaClientId" TEXT NOT NULL,
    "lwaClientSecretEnc" TEXT NOT NULL,
    "refreshTokenEnc" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "watermark" DATETIME,
    "windowAfter" DATETIME,
    "windowBefore" DATETIME,
    "pageToken" TEXT,
    "pagesInWindow" INTEGER NOT NULL DEFAULT 0,
    "syncClaimedUntil" DATETIME,
    "lastSyncOrders" INTEGER NOT NULL DEFAULT 0,
    "lastSyncAt" DATETIME,
    "lastSyncError" TEXT,
    "stockBuffer" INTEGER NOT NULL DEFAULT 0,
    "locationIds" TEXT NOT NULL DEFAULT '',
    "grantedRoles" TEXT NOT NULL DEFAULT '',
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_AmazonAccount" ("createdAt", "createdBy", "id", "lastSyncAt", "lastSyncError", "lastSyncOrders", "locationIds", "lwaClientId", "lwaClientSecretEnc", "marketplaceIds", "pageToken", "pagesInWindow", "refreshTokenEnc", "region", "sellerId", "shop", "status", "stockBuffer", "syncClaimedUntil", "updatedAt", "watermark", "windowAfter", "windowBefore") SELECT "createdAt", "createdBy", "id", "lastSyncAt", "lastSyncError", "lastSyncOrders", "locationIds", "lwaClientId", "lwaClientSecretEnc", "marketplaceIds", "pageToken", "pagesInWindow", "refreshTokenEnc", "region", "sellerId", "shop", "status", "stockBuffer", "syncClaimedUntil", "updatedAt", "watermark", "windowAfter", "windowBefore" FROM "AmazonAccount";
DROP TABLE "AmazonAccount";
ALTER TABLE "new_AmazonAccount" RENAME TO "AmazonAccount";
CREATE UNIQUE INDEX "AmazonAccount_shop_sellerId_key" ON "AmazonAccount"("shop", "sellerId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

