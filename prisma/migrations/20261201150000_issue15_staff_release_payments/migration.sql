-- AlterTable
ALTER TABLE "Order" ADD COLUMN "holdRule" TEXT;
ALTER TABLE "Order" ADD COLUMN "orderKind" TEXT;
ALTER TABLE "Order" ADD COLUMN "releaseAfter" DATETIME;
ALTER TABLE "Order" ADD COLUMN "riskLevel" TEXT;

-- CreateTable
CREATE TABLE "StaffMember" (
    "shop" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "name" TEXT,
    "email" TEXT,
    "identityCheckedAt" DATETIME,
    "updatedBy" TEXT,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "userId")
);

-- CreateTable
CREATE TABLE "OrderPolicy" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "defaultStaffRole" TEXT NOT NULL DEFAULT 'manager',
    "holdHighRisk" BOOLEAN NOT NULL DEFAULT true,
    "validateAddress" BOOLEAN NOT NULL DEFAULT true,
    "maxValueMinor" BIGINT,
    "paymentTermsRelease" TEXT NOT NULL DEFAULT 'on_order',
    "captureMode" TEXT NOT NULL DEFAULT 'automatic',
    "authorizationWarnHours" INTEGER NOT NULL DEFAULT 48,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedBy" TEXT NOT NULL DEFAULT 'default',
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PaymentAuthorization" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "transactionId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "capturedMinor" BIGINT NOT NULL DEFAULT 0,
    "gateway" TEXT,
    "expiresAt" DATETIME,
    "status" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PaymentCapture" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "captureKey" TEXT NOT NULL,
    "parentTransactionId" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "transactionId" TEXT,
    "error" TEXT,
    "actor" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "PaymentAuthorization_shop_status_expiresAt_idx" ON "PaymentAuthorization"("shop", "status", "expiresAt");

-- CreateIndex
CREATE INDEX "PaymentAuthorization_orderId_idx" ON "PaymentAuthorization"("orderId");

-- CreateIndex
CREATE UNIQUE INDEX "PaymentAuthorization_shop_transactionId_key" ON "PaymentAuthorization"("shop", "transactionId");

-- CreateIndex
CREATE INDEX "PaymentCapture_orderId_idx" ON "PaymentCapture"("orderId");

-- CreateIndex
CREATE UNIQUE INDEX "PaymentCapture_shop_captureKey_parentTransactionId_key" ON "PaymentCapture"("shop", "captureKey", "parentTransactionId");

-- CreateIndex
CREATE INDEX "Order_shop_holdRule_releaseAfter_idx" ON "Order"("shop", "holdRule", "releaseAfter");

