-- CreateTable
CREATE TABLE "ExchangeSettlement" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "returnId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "actor" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "settledAt" DATETIME
);

-- CreateIndex
CREATE INDEX "ExchangeSettlement_status_createdAt_idx" ON "ExchangeSettlement"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ExchangeSettlement_shop_returnId_key" ON "ExchangeSettlement"("shop", "returnId");

