-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_BackfillRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "mode" TEXT NOT NULL DEFAULT 'pages',
    "bulkOperationId" TEXT,
    "cursor" TEXT,
    "imported" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER,
    "error" TEXT,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_BackfillRun" ("cursor", "error", "finishedAt", "id", "imported", "shop", "startedAt", "status", "total", "updatedAt") SELECT "cursor", "error", "finishedAt", "id", "imported", "shop", "startedAt", "status", "total", "updatedAt" FROM "BackfillRun";
DROP TABLE "BackfillRun";
ALTER TABLE "new_BackfillRun" RENAME TO "BackfillRun";
CREATE INDEX "BackfillRun_shop_startedAt_idx" ON "BackfillRun"("shop", "startedAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

