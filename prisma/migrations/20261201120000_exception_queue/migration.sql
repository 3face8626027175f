-- CreateTable
CREATE TABLE "OpsException" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "subjectKey" TEXT NOT NULL,
    "orderId" TEXT,
    "summary" TEXT NOT NULL,
    "data" TEXT,
    "status" TEXT NOT NULL,
    "assignee" TEXT,
    "snoozedUntil" DATETIME,
    "raisedAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    "occurrences" INTEGER NOT NULL DEFAULT 1,
    "resolvedAt" DATETIME,
    "resolvedBy" TEXT,
    "resolution" TEXT
);

-- CreateIndex
CREATE INDEX "OpsException_shop_status_raisedAt_idx" ON "OpsException"("shop", "status", "raisedAt");

-- CreateIndex
CREATE INDEX "OpsException_shop_kind_status_idx" ON "OpsException"("shop", "kind", "status");

-- CreateIndex
CREATE INDEX "OpsException_orderId_idx" ON "OpsException"("orderId");

-- CreateIndex
CREATE UNIQUE INDEX "OpsException_shop_kind_subjectKey_key" ON "OpsException"("shop", "kind", "subjectKey");

