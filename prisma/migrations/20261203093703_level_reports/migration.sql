-- AlterTable
ALTER TABLE "StockLevel" ADD COLUMN "shopifyAsOf" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_StockReadRequest" (
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "requestedAt" DATETIME NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "reportedAvailable" INTEGER,
    "reportedAt" DATETIME,
    "expectedDelta" INTEGER NOT NULL DEFAULT 0,
    "needsRead" BOOLEAN NOT NULL DEFAULT false,

    PRIMARY KEY ("shop", "inventoryItemId", "locationId")
);
INSERT INTO "new_StockReadRequest" ("inventoryItemId", "locationId", "requestedAt", "shop", "version") SELECT "inventoryItemId", "locationId", "requestedAt", "shop", "version" FROM "StockReadRequest";
DROP TABLE "StockReadRequest";
ALTER TABLE "new_StockReadRequest" RENAME TO "StockReadRequest";
CREATE INDEX "StockReadRequest_shop_requestedAt_idx" ON "StockReadRequest"("shop", "requestedAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

