-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_StockLocation" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "fulfillsOnlineOrders" BOOLEAN NOT NULL DEFAULT true,
    "countryCode" TEXT,
    "latitude" REAL,
    "longitude" REAL,

    PRIMARY KEY ("shop", "id")
);
INSERT INTO "new_StockLocation" ("countryCode", "fulfillsOnlineOrders", "id", "isActive", "latitude", "longitude", "name", "shop") SELECT "countryCode", "fulfillsOnlineOrders", "id", "isActive", "latitude", "longitude", "name", "shop" FROM "StockLocation";
DROP TABLE "StockLocation";
ALTER TABLE "new_StockLocation" RENAME TO "StockLocation";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "StockLevel_shop_id_idx" ON "StockLevel"("shop", "id");

