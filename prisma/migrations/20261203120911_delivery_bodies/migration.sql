-- CreateTable
CREATE TABLE "WebhookDeliveryBody" (
    "deliveryId" TEXT NOT NULL PRIMARY KEY,
    "body" TEXT NOT NULL,
    CONSTRAINT "WebhookDeliveryBody_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Every stored body moves to its own table (by hand: the diff only drops the column).
INSERT INTO "WebhookDeliveryBody" ("deliveryId", "body") SELECT "id", "body" FROM "WebhookDelivery";

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_WebhookDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "eventId" TEXT,
    "apiVersion" TEXT NOT NULL,
    "triggeredAt" DATETIME,
    "headers" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'received',
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" DATETIME,
    "claimedUntil" DATETIME
);
INSERT INTO "new_WebhookDelivery" ("apiVersion", "attempts", "claimedUntil", "error", "eventId", "headers", "id", "processedAt", "receivedAt", "shop", "status", "topic", "triggeredAt", "webhookId") SELECT "apiVersion", "attempts", "claimedUntil", "error", "eventId", "headers", "id", "processedAt", "receivedAt", "shop", "status", "topic", "triggeredAt", "webhookId" FROM "WebhookDelivery";
DROP TABLE "WebhookDelivery";
ALTER TABLE "new_WebhookDelivery" RENAME TO "WebhookDelivery";
CREATE INDEX "WebhookDelivery_shop_status_receivedAt_idx" ON "WebhookDelivery"("shop", "status", "receivedAt");
CREATE UNIQUE INDEX "WebhookDelivery_shop_webhookId_key" ON "WebhookDelivery"("shop", "webhookId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

