-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_IncomingStock" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "expectedDate" TEXT NOT NULL,
    "updatedBy" TEXT NOT NULL DEFAULT '',
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_IncomingStock" ("expectedDate", "id", "inventoryItemId", "locationId", "quantity", "reference", "shop") SELECT "expectedDate", "id", "inventoryItemId", "locationId", "quantity", "reference", "shop" FROM "IncomingStock";
DROP TABLE "IncomingStock";
ALTER TABLE "new_IncomingStock" RENAME TO "IncomingStock";
CREATE INDEX "IncomingStock_shop_inventoryItemId_idx" ON "IncomingStock"("shop", "inventoryItemId");
CREATE UNIQUE INDEX "IncomingStock_shop_reference_inventoryItemId_locationId_key" ON "IncomingStock"("shop", "reference", "inventoryItemId", "locationId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

