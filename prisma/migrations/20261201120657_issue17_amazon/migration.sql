-- CreateTable
CREATE TABLE "AmazonAccount" (
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
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AmazonOrder" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "amazonOrderId" TEXT NOT NULL,
    "marketplaceId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "fulfilledBy" TEXT NOT NULL,
    "buyerCancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "lastUpdatedTime" DATETIME NOT NULL,
    "appliedUpdatedTime" DATETIME,
    "data" TEXT NOT NULL,
    "omsOrderId" TEXT,
    "shopifyState" TEXT NOT NULL DEFAULT 'none',
    "shopifyOrderId" TEXT,
    "shopifyClaimedUntil" DATETIME,
    "cancelApplied" BOOLEAN NOT NULL DEFAULT false,
    "firstSeenAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AmazonShipment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "amazonOrderId" TEXT NOT NULL,
    "fulfillmentId" TEXT NOT NULL,
    "packageReferenceId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "request" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "confirmedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "AmazonListing" (
    "accountId" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "wanted" INTEGER,
    "pushed" INTEGER,
    "pushedAt" DATETIME,
    "amazonQuantity" INTEGER,
    "observedAt" DATETIME,
    "error" TEXT,

    PRIMARY KEY ("accountId", "sku")
);

-- CreateIndex
CREATE UNIQUE INDEX "AmazonAccount_shop_sellerId_key" ON "AmazonAccount"("shop", "sellerId");

-- CreateIndex
CREATE INDEX "AmazonOrder_shop_status_idx" ON "AmazonOrder"("shop", "status");

-- CreateIndex
CREATE INDEX "AmazonOrder_accountId_appliedUpdatedTime_idx" ON "AmazonOrder"("accountId", "appliedUpdatedTime");

-- CreateIndex
CREATE INDEX "AmazonOrder_omsOrderId_idx" ON "AmazonOrder"("omsOrderId");

-- CreateIndex
CREATE INDEX "AmazonOrder_shopifyOrderId_idx" ON "AmazonOrder"("shopifyOrderId");

-- CreateIndex
CREATE UNIQUE INDEX "AmazonOrder_accountId_amazonOrderId_key" ON "AmazonOrder"("accountId", "amazonOrderId");

-- CreateIndex
CREATE INDEX "AmazonShipment_shop_status_idx" ON "AmazonShipment"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "AmazonShipment_amazonOrderId_fulfillmentId_key" ON "AmazonShipment"("amazonOrderId", "fulfillmentId");

-- CreateIndex
CREATE UNIQUE INDEX "AmazonShipment_amazonOrderId_packageReferenceId_key" ON "AmazonShipment"("amazonOrderId", "packageReferenceId");

-- CreateIndex
CREATE INDEX "AmazonListing_shop_idx" ON "AmazonListing"("shop");

