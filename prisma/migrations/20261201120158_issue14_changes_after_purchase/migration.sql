-- AlterTable
ALTER TABLE "FulfillmentGroup" ADD COLUMN "holdHandles" TEXT;

-- CreateTable
CREATE TABLE "ChangePolicy" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "definition" TEXT NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ChangeRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "input" TEXT NOT NULL,
    "outcome" TEXT,
    "actor" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SubstituteRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "substituteVariantId" TEXT NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_LocationProfile" (
    "locationId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'warehouse',
    "priority" INTEGER NOT NULL DEFAULT 100,
    "dailyCapacity" INTEGER,
    "handlingCostMinor" INTEGER NOT NULL DEFAULT 0,
    "costPerKmMinor" INTEGER NOT NULL DEFAULT 0,
    "tags" TEXT NOT NULL DEFAULT '',
    "servesCountries" TEXT NOT NULL DEFAULT '',
    "shipDays" TEXT NOT NULL DEFAULT '',
    "cutoffMinutes" INTEGER NOT NULL DEFAULT 1440,
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "closedDates" TEXT NOT NULL DEFAULT '',
    "offline" BOOLEAN NOT NULL DEFAULT false,
    "offlineReason" TEXT,
    "offlineSince" DATETIME,

    PRIMARY KEY ("shop", "locationId")
);
INSERT INTO "new_LocationProfile" ("closedDates", "costPerKmMinor", "cutoffMinutes", "dailyCapacity", "handlingCostMinor", "kind", "locationId", "priority", "servesCountries", "shipDays", "shop", "tags", "timeZone") SELECT "closedDates", "costPerKmMinor", "cutoffMinutes", "dailyCapacity", "handlingCostMinor", "kind", "locationId", "priority", "servesCountries", "shipDays", "shop", "tags", "timeZone" FROM "LocationProfile";
DROP TABLE "LocationProfile";
ALTER TABLE "new_LocationProfile" RENAME TO "LocationProfile";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ChangeRequest_shop_orderId_createdAt_idx" ON "ChangeRequest"("shop", "orderId", "createdAt");

-- CreateIndex
CREATE INDEX "ChangeRequest_shop_status_idx" ON "ChangeRequest"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ChangeRequest_shop_idempotencyKey_key" ON "ChangeRequest"("shop", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "SubstituteRule_shop_variantId_substituteVariantId_key" ON "SubstituteRule"("shop", "variantId", "substituteVariantId");

