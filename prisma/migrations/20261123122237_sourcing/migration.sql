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

    PRIMARY KEY ("shop", "locationId")
);

-- CreateTable
CREATE TABLE "SourcingRuleSet" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "definition" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activatedAt" DATETIME
);

-- CreateTable
CREATE TABLE "RoutingDecision" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "SourcingRuleSet_shop_status_idx" ON "SourcingRuleSet"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "SourcingRuleSet_shop_version_key" ON "SourcingRuleSet"("shop", "version");

-- CreateIndex
CREATE INDEX "RoutingDecision_shop_orderId_at_idx" ON "RoutingDecision"("shop", "orderId", "at");

-- CreateIndex
CREATE INDEX "RoutingDecision_shop_mode_at_idx" ON "RoutingDecision"("shop", "mode", "at");

