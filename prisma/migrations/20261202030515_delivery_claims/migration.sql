-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN "claimedUntil" DATETIME;

