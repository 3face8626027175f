-- CreateTable
CREATE TABLE "StockReadRequest" (
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "requestedAt" DATETIME NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    PRIMARY KEY ("shop", "inventoryItemId", "locationId")
);

-- CreateIndex
CREATE INDEX "StockReadRequest_shop_requestedAt_idx" ON "StockReadRequest"("shop", "requestedAt");
