-- CreateTable
CREATE TABLE "ReturnCase" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT,
    "orderName" TEXT,
    "sourceId" TEXT,
    "name" TEXT,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "declineReason" TEXT,
    "instructions" TEXT,
    "tracking" TEXT,
    "reverseFulfillmentOrderId" TEXT,
    "exchangePolicy" TEXT,
    "exchangeLines" TEXT,
    "exchangeReleasedAt" DATETIME,
    "restockingFeePercent" INTEGER NOT NULL DEFAULT 0,
    "returnShippingFeeMinor" BIGINT NOT NULL DEFAULT 0,
    "currency" TEXT,
    "slip" TEXT,
    "locationId" TEXT,
    "requestedBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "receivedAt" DATETIME,
    "refundedAt" DATETIME,
    "closedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "ReturnCaseLine" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "returnId" TEXT NOT NULL,
    "sourceLineId" TEXT,
    "fulfillmentLineItemId" TEXT,
    "returnLineItemId" TEXT,
    "reverseLineItemId" TEXT,
    "sku" TEXT,
    "inventoryItemId" TEXT,
    "title" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unitPriceMinor" BIGINT NOT NULL DEFAULT 0,
    "restocked" INTEGER NOT NULL DEFAULT 0,
    "damaged" INTEGER NOT NULL DEFAULT 0,
    "qualityControl" INTEGER NOT NULL DEFAULT 0,
    "missing" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "ReturnCaseLine_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "ReturnCase" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OrderMoney" (
    "orderId" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "capturedMinor" BIGINT NOT NULL DEFAULT 0,
    "refundedMinor" BIGINT NOT NULL DEFAULT 0,
    "pendingMinor" BIGINT NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RefundRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "returnId" TEXT,
    "sourceId" TEXT,
    "requestKey" TEXT,
    "status" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "presentmentMinor" BIGINT NOT NULL,
    "presentmentCurrency" TEXT NOT NULL,
    "linesMinor" BIGINT NOT NULL DEFAULT 0,
    "shippingMinor" BIGINT NOT NULL DEFAULT 0,
    "restockingFeeMinor" BIGINT NOT NULL DEFAULT 0,
    "storeCreditMinor" BIGINT NOT NULL DEFAULT 0,
    "gateway" TEXT,
    "transactions" TEXT,
    "note" TEXT,
    "error" TEXT,
    "actor" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "processedAt" DATETIME
);

-- CreateTable
CREATE TABLE "FinancePosting" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "matchKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "orderId" TEXT,
    "orderName" TEXT NOT NULL,
    "refundId" TEXT,
    "transactionId" TEXT,
    "gateway" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "presentmentMinor" BIGINT NOT NULL,
    "presentmentCurrency" TEXT NOT NULL,
    "businessDate" TEXT NOT NULL,
    "postedAt" DATETIME NOT NULL,
    "actor" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "ReturnCase_shop_status_createdAt_idx" ON "ReturnCase"("shop", "status", "createdAt");

-- CreateIndex
CREATE INDEX "ReturnCase_orderId_idx" ON "ReturnCase"("orderId");

-- CreateIndex
CREATE UNIQUE INDEX "ReturnCase_shop_sourceId_key" ON "ReturnCase"("shop", "sourceId");

-- CreateIndex
CREATE INDEX "ReturnCaseLine_returnId_idx" ON "ReturnCaseLine"("returnId");

-- CreateIndex
CREATE INDEX "RefundRecord_shop_processedAt_idx" ON "RefundRecord"("shop", "processedAt");

-- CreateIndex
CREATE INDEX "RefundRecord_orderId_idx" ON "RefundRecord"("orderId");

-- CreateIndex
CREATE UNIQUE INDEX "RefundRecord_shop_sourceId_key" ON "RefundRecord"("shop", "sourceId");

-- CreateIndex
CREATE UNIQUE INDEX "RefundRecord_shop_requestKey_key" ON "RefundRecord"("shop", "requestKey");

-- CreateIndex
CREATE INDEX "FinancePosting_shop_businessDate_idx" ON "FinancePosting"("shop", "businessDate");

-- CreateIndex
CREATE INDEX "FinancePosting_refundId_idx" ON "FinancePosting"("refundId");

-- CreateIndex
CREATE UNIQUE INDEX "FinancePosting_shop_matchKey_key" ON "FinancePosting"("shop", "matchKey");

