-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shop" (
    "domain" TEXT NOT NULL,
    "name" TEXT,
    "currencyCode" TEXT,
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" TIMESTAMP(3),
    "redactedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("domain")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "eventId" TEXT,
    "apiVersion" TEXT NOT NULL,
    "triggeredAt" TIMESTAMP(3),
    "headers" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'received',
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeadLetter" (
    "id" TEXT NOT NULL,
    "queue" TEXT NOT NULL,
    "jobName" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "shop" TEXT,
    "payload" TEXT NOT NULL,
    "error" TEXT NOT NULL,
    "retriable" BOOLEAN NOT NULL,
    "attempts" INTEGER NOT NULL,
    "failedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeadLetter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" TEXT NOT NULL,
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
    "cancelledAt" TIMESTAMP(3),
    "placedAt" TIMESTAMP(3) NOT NULL,
    "sourceUpdatedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "redactedAt" TIMESTAMP(3),
    "sourcingClaimedUntil" TIMESTAMP(3),

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderLine" (
    "id" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "sourceLineId" TEXT NOT NULL,
    "sku" TEXT,
    "title" TEXT NOT NULL,
    "variantId" TEXT,
    "quantity" INTEGER NOT NULL,
    "currentQuantity" INTEGER NOT NULL,
    "unitPriceMinor" BIGINT NOT NULL,

    CONSTRAINT "OrderLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FulfillmentGroup" (
    "id" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "locationId" TEXT,
    "locationName" TEXT,
    "status" TEXT NOT NULL,
    "requestStatus" TEXT,
    "deliveryMethod" TEXT,
    "lines" TEXT NOT NULL,
    "trackingInfo" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FulfillmentGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderEvent" (
    "id" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
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

    CONSTRAINT "OrderEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BackfillRun" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "mode" TEXT NOT NULL DEFAULT 'pages',
    "bulkOperationId" TEXT,
    "cursor" TEXT,
    "imported" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BackfillRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComplianceRequest" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "export" TEXT,
    "ordersFound" INTEGER NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ComplianceRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StockLevel" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "sku" TEXT,
    "variantId" TEXT,
    "title" TEXT,
    "onHand" INTEGER NOT NULL DEFAULT 0,
    "reserved" INTEGER NOT NULL DEFAULT 0,
    "safetyStock" INTEGER NOT NULL DEFAULT 0,
    "committed" INTEGER NOT NULL DEFAULT 0,
    "unavailable" INTEGER NOT NULL DEFAULT 0,
    "shopifyAvailable" INTEGER NOT NULL DEFAULT 0,
    "heldBack" INTEGER NOT NULL DEFAULT 0,
    "observedAt" TIMESTAMP(3),
    "pushedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StockLevel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StockReadRequest" (
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "StockReadRequest_pkey" PRIMARY KEY ("shop","inventoryItemId","locationId")
);

-- CreateTable
CREATE TABLE "StockMovement" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reservedDelta" INTEGER NOT NULL DEFAULT 0,
    "onHandDelta" INTEGER NOT NULL DEFAULT 0,
    "idempotencyKey" TEXT NOT NULL,
    "reference" TEXT,
    "actor" TEXT NOT NULL DEFAULT 'oms',
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StockMovement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SafetyStockRule" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "locationId" TEXT NOT NULL DEFAULT '',
    "inventoryItemId" TEXT NOT NULL DEFAULT '',
    "quantity" INTEGER NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SafetyStockRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StockLocation" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "fulfillsOnlineOrders" BOOLEAN NOT NULL DEFAULT true,
    "countryCode" TEXT,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,

    CONSTRAINT "StockLocation_pkey" PRIMARY KEY ("shop","id")
);

-- CreateTable
CREATE TABLE "InventoryPolicy" (
    "shop" TEXT NOT NULL,
    "staleFeed" TEXT NOT NULL DEFAULT 'fail_closed',
    "staleAfterMinutes" INTEGER NOT NULL DEFAULT 60,
    "updatedBy" TEXT NOT NULL DEFAULT 'default',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InventoryPolicy_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "StockDrift" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "reference" TEXT,
    "expected" INTEGER NOT NULL,
    "actual" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "note" TEXT,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "StockDrift_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "data" TEXT,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LocationProfile" (
    "locationId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'warehouse',
    "priority" INTEGER NOT NULL DEFAULT 100,
    "dailyCapacity" INTEGER,
    "handlingCostMinor" INTEGER NOT NULL DEFAULT 0,
    "costPerKmMinor" INTEGER NOT NULL DEFAULT 0,
    "tags" TEXT NOT NULL DEFAULT '',
    "servesCountries" TEXT NOT NULL DEFAULT '',
    "shipDays" TEXT NOT NULL DEFAULT '',
    "cutoffMinutes" INTEGER NOT NULL DEFAULT 1440,
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "closedDates" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "LocationProfile_pkey" PRIMARY KEY ("shop","locationId")
);

-- CreateTable
CREATE TABLE "SourcingRuleSet" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "definition" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activatedAt" TIMESTAMP(3),

    CONSTRAINT "SourcingRuleSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LocationDailyLoad" (
    "shop" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "orders" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "LocationDailyLoad_pkey" PRIMARY KEY ("shop","locationId","day")
);

-- CreateTable
CREATE TABLE "RoutingDecision" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "ruleSetId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "applied" TEXT NOT NULL,
    "error" TEXT,
    "shipments" INTEGER NOT NULL,
    "backordered" INTEGER NOT NULL,
    "plan" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RoutingDecision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_status_receivedAt_idx" ON "WebhookDelivery"("shop", "status", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_shop_webhookId_key" ON "WebhookDelivery"("shop", "webhookId");

-- CreateIndex
CREATE INDEX "DeadLetter_shop_failedAt_idx" ON "DeadLetter"("shop", "failedAt");

-- CreateIndex
CREATE UNIQUE INDEX "DeadLetter_queue_jobId_key" ON "DeadLetter"("queue", "jobId");

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
CREATE INDEX "FulfillmentGroup_sourceId_idx" ON "FulfillmentGroup"("sourceId");

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

-- CreateIndex
CREATE INDEX "StockLevel_shop_locationId_idx" ON "StockLevel"("shop", "locationId");

-- CreateIndex
CREATE INDEX "StockLevel_shop_sku_idx" ON "StockLevel"("shop", "sku");

-- CreateIndex
CREATE INDEX "StockLevel_shop_id_idx" ON "StockLevel"("shop", "id");

-- CreateIndex
CREATE UNIQUE INDEX "StockLevel_shop_inventoryItemId_locationId_key" ON "StockLevel"("shop", "inventoryItemId", "locationId");

-- CreateIndex
CREATE INDEX "StockReadRequest_shop_requestedAt_idx" ON "StockReadRequest"("shop", "requestedAt");

-- CreateIndex
CREATE INDEX "StockMovement_shop_inventoryItemId_locationId_idx" ON "StockMovement"("shop", "inventoryItemId", "locationId");

-- CreateIndex
CREATE INDEX "StockMovement_shop_reference_idx" ON "StockMovement"("shop", "reference");

-- CreateIndex
CREATE UNIQUE INDEX "StockMovement_shop_idempotencyKey_inventoryItemId_locationI_key" ON "StockMovement"("shop", "idempotencyKey", "inventoryItemId", "locationId");

-- CreateIndex
CREATE UNIQUE INDEX "SafetyStockRule_shop_locationId_inventoryItemId_key" ON "SafetyStockRule"("shop", "locationId", "inventoryItemId");

-- CreateIndex
CREATE INDEX "StockDrift_shop_resolvedAt_firstSeenAt_idx" ON "StockDrift"("shop", "resolvedAt", "firstSeenAt");

-- CreateIndex
CREATE UNIQUE INDEX "StockDrift_shop_key_key" ON "StockDrift"("shop", "key");

-- CreateIndex
CREATE INDEX "AuditEvent_shop_subject_at_idx" ON "AuditEvent"("shop", "subject", "at");

-- CreateIndex
CREATE INDEX "SourcingRuleSet_shop_status_idx" ON "SourcingRuleSet"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "SourcingRuleSet_shop_version_key" ON "SourcingRuleSet"("shop", "version");

-- CreateIndex
CREATE INDEX "RoutingDecision_shop_orderId_at_idx" ON "RoutingDecision"("shop", "orderId", "at");

-- CreateIndex
CREATE INDEX "RoutingDecision_shop_mode_at_idx" ON "RoutingDecision"("shop", "mode", "at");

-- AddForeignKey
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FulfillmentGroup" ADD CONSTRAINT "FulfillmentGroup_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderEvent" ADD CONSTRAINT "OrderEvent_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

