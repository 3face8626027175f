-- CreateTable
CREATE TABLE "StockLevel" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "sku" TEXT,
    "variantId" TEXT,
    "title" TEXT,
    "onHand" INTEGER NOT NULL DEFAULT 0,
    "reserved" INTEGER NOT NULL DEFAULT 0,
    "safetyStock" INTEGER NOT NULL DEFAULT 0,
    "committed" INTEGER NOT NULL DEFAULT 0,
    "unavailable" INTEGER NOT NULL DEFAULT 0,
    "shopifyAvailable" INTEGER NOT NULL DEFAULT 0,
    "heldBack" INTEGER NOT NULL DEFAULT 0,
    "observedAt" DATETIME,
    "pushedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "StockMovement" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reservedDelta" INTEGER NOT NULL DEFAULT 0,
    "onHandDelta" INTEGER NOT NULL DEFAULT 0,
    "idempotencyKey" TEXT NOT NULL,
    "reference" TEXT,
    "actor" TEXT NOT NULL DEFAULT 'oms',
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SafetyStockRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "locationId" TEXT NOT NULL DEFAULT '',
    "inventoryItemId" TEXT NOT NULL DEFAULT '',
    "quantity" INTEGER NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "StockLocation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "fulfillsOnlineOrders" BOOLEAN NOT NULL DEFAULT true,
    "countryCode" TEXT,
    "latitude" REAL,
    "longitude" REAL
);

-- CreateTable
CREATE TABLE "InventoryPolicy" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "staleFeed" TEXT NOT NULL DEFAULT 'fail_closed',
    "staleAfterMinutes" INTEGER NOT NULL DEFAULT 60,
    "updatedBy" TEXT NOT NULL DEFAULT 'default',
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "StockDrift" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "reference" TEXT,
    "expected" INTEGER NOT NULL,
    "actual" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "note" TEXT,
    "firstSeenAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "actor" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "data" TEXT
);

-- CreateIndex
CREATE INDEX "StockLevel_shop_locationId_idx" ON "StockLevel"("shop", "locationId");

-- CreateIndex
CREATE INDEX "StockLevel_shop_sku_idx" ON "StockLevel"("shop", "sku");

-- CreateIndex
CREATE UNIQUE INDEX "StockLevel_shop_inventoryItemId_locationId_key" ON "StockLevel"("shop", "inventoryItemId", "locationId");

-- CreateIndex
CREATE INDEX "StockMovement_shop_inventoryItemId_locationId_idx" ON "StockMovement"("shop", "inventoryItemId", "locationId");

-- CreateIndex
CREATE INDEX "StockMovement_shop_reference_idx" ON "StockMovement"("shop", "reference");

-- CreateIndex
CREATE UNIQUE INDEX "StockMovement_shop_idempotencyKey_inventoryItemId_locationId_key" ON "StockMovement"("shop", "idempotencyKey", "inventoryItemId", "locationId");

-- CreateIndex
CREATE UNIQUE INDEX "SafetyStockRule_shop_locationId_inventoryItemId_key" ON "SafetyStockRule"("shop", "locationId", "inventoryItemId");

-- CreateIndex
CREATE INDEX "StockLocation_shop_idx" ON "StockLocation"("shop");

-- CreateIndex
CREATE INDEX "StockDrift_shop_resolvedAt_firstSeenAt_idx" ON "StockDrift"("shop", "resolvedAt", "firstSeenAt");

-- CreateIndex
CREATE UNIQUE INDEX "StockDrift_shop_key_key" ON "StockDrift"("shop", "key");

-- CreateIndex
CREATE INDEX "AuditEvent_shop_subject_at_idx" ON "AuditEvent"("shop", "subject", "at");

