-- CreateTable
CREATE TABLE "Order" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "financialStatus" TEXT,
    "fulfillmentStatus" TEXT,
    "currency" TEXT NOT NULL,
    "totalMinor" BIGINT NOT NULL,
    "email" TEXT,
    "customerName" TEXT,
    "shippingAddress" TEXT,
    "shipCountry" TEXT,
    "tags" TEXT NOT NULL DEFAULT '',
    "exception" TEXT,
    "holdReason" TEXT,
    "cancelledAt" DATETIME,
    "placedAt" DATETIME NOT NULL,
    "sourceUpdatedAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "redactedAt" DATETIME
);

-- CreateTable
CREATE TABLE "OrderLine" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "orderId" TEXT NOT NULL,
    "sourceLineId" TEXT NOT NULL,
    "sku" TEXT,
    "title" TEXT NOT NULL,
    "variantId" TEXT,
    "quantity" INTEGER NOT NULL,
    "currentQuantity" INTEGER NOT NULL,
    "unitPriceMinor" BIGINT NOT NULL,
    CONSTRAINT "OrderLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FulfillmentGroup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "orderId" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "locationId" TEXT,
    "locationName" TEXT,
    "status" TEXT NOT NULL,
    "requestStatus" TEXT,
    "lines" TEXT NOT NULL,
    "trackingInfo" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "FulfillmentGroup_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OrderEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "orderId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "kind" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "fromState" TEXT,
    "toState" TEXT,
    "owner" TEXT,
    "actor" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "deliveryId" TEXT,
    "dedupeKey" TEXT NOT NULL,
    "data" TEXT,
    CONSTRAINT "OrderEvent_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "BackfillRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "cursor" TEXT,
    "imported" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER,
    "error" TEXT,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ComplianceRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "export" TEXT,
    "ordersFound" INTEGER NOT NULL,
    "receivedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Order_shop_placedAt_id_idx" ON "Order"("shop", "placedAt", "id");

-- CreateIndex
CREATE INDEX "Order_shop_state_placedAt_idx" ON "Order"("shop", "state", "placedAt");

-- CreateIndex
CREATE INDEX "Order_shop_channel_placedAt_idx" ON "Order"("shop", "channel", "placedAt");

-- CreateIndex
CREATE INDEX "Order_shop_exception_placedAt_idx" ON "Order"("shop", "exception", "placedAt");

-- CreateIndex
CREATE INDEX "Order_shop_name_idx" ON "Order"("shop", "name");

-- CreateIndex
CREATE INDEX "Order_shop_email_idx" ON "Order"("shop", "email");

-- CreateIndex
CREATE UNIQUE INDEX "Order_shop_sourceId_key" ON "Order"("shop", "sourceId");

-- CreateIndex
CREATE UNIQUE INDEX "OrderLine_orderId_sourceLineId_key" ON "OrderLine"("orderId", "sourceLineId");

-- CreateIndex
CREATE INDEX "FulfillmentGroup_locationId_idx" ON "FulfillmentGroup"("locationId");

-- CreateIndex
CREATE UNIQUE INDEX "FulfillmentGroup_orderId_sourceId_key" ON "FulfillmentGroup"("orderId", "sourceId");

-- CreateIndex
CREATE INDEX "OrderEvent_orderId_at_idx" ON "OrderEvent"("orderId", "at");

-- CreateIndex
CREATE INDEX "OrderEvent_shop_kind_at_idx" ON "OrderEvent"("shop", "kind", "at");

-- CreateIndex
CREATE UNIQUE INDEX "OrderEvent_orderId_dedupeKey_key" ON "OrderEvent"("orderId", "dedupeKey");

-- CreateIndex
CREATE INDEX "BackfillRun_shop_startedAt_idx" ON "BackfillRun"("shop", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ComplianceRequest_deliveryId_key" ON "ComplianceRequest"("deliveryId");

-- CreateIndex
CREATE INDEX "ComplianceRequest_shop_receivedAt_idx" ON "ComplianceRequest"("shop", "receivedAt");

