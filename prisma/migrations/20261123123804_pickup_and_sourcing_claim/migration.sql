-- AlterTable
ALTER TABLE "FulfillmentGroup" ADD COLUMN "deliveryMethod" TEXT;


-- AlterTable
ALTER TABLE "Order" ADD COLUMN "sourcingClaimedUntil" DATETIME;
