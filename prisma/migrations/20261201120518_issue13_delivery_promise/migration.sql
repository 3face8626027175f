-- CreateTable
CREATE TABLE "TransitTime" (
    "shop" TEXT NOT NULL,
    "originLocationId" TEXT NOT NULL,
    "zone" TEXT NOT NULL,
    "methodCode" TEXT NOT NULL,
    "minDays" INTEGER NOT NULL,
    "maxDays" INTEGER NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "originLocationId", "zone", "methodCode")
);

-- CreateTable
CREATE TABLE "IncomingStock" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "expectedDate" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "OrderPromise" (
    "orderId" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "promiseId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "methodCode" TEXT,
    "carrier" TEXT,
    "destinationZone" TEXT NOT NULL,
    "earliest" TEXT NOT NULL,
    "latest" TEXT NOT NULL,
    "promisedAt" DATETIME NOT NULL,
    "reason" TEXT NOT NULL,
    "parcels" TEXT NOT NULL DEFAULT '[]',
    "firstShippedAt" DATETIME,
    "deliveredAt" DATETIME,
    "shipCarrier" TEXT,
    "atRiskAt" DATETIME
);

-- CreateIndex
CREATE INDEX "IncomingStock_shop_inventoryItemId_idx" ON "IncomingStock"("shop", "inventoryItemId");

-- CreateIndex
CREATE UNIQUE INDEX "IncomingStock_shop_reference_inventoryItemId_locationId_key" ON "IncomingStock"("shop", "reference", "inventoryItemId", "locationId");

-- CreateIndex
CREATE INDEX "OrderPromise_shop_promisedAt_idx" ON "OrderPromise"("shop", "promisedAt");

