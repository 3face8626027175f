-- CreateTable
CREATE TABLE "MonitorSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "stuckBeforeAllocationMinutes" INTEGER NOT NULL DEFAULT 30,
    "allocationSlaMinutes" INTEGER NOT NULL DEFAULT 1440,
    "locationSlaMinutes" TEXT NOT NULL DEFAULT '{}',
    "statusSyncMinutes" INTEGER NOT NULL DEFAULT 2880,
    "paymentWindowHours" INTEGER NOT NULL DEFAULT 24,
    "paymentGraceMinutes" INTEGER NOT NULL DEFAULT 15,
    "refundWindowHours" INTEGER NOT NULL DEFAULT 72,
    "refundGraceMinutes" INTEGER NOT NULL DEFAULT 30,
    "alertEmail" TEXT,
    "alertWebhookUrl" TEXT,
    "digestMinutes" INTEGER NOT NULL DEFAULT 15,
    "updatedBy" TEXT NOT NULL DEFAULT 'default',
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AlertDigest" (
    "shop" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "watermark" DATETIME NOT NULL,
    "lastSentAt" DATETIME NOT NULL,
    "sent" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("shop", "channel")
);

