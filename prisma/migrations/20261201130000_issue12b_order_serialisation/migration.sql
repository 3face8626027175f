-- AlterTable: the sourcing lease's fencing token and the fulfilment-group read watermark.
ALTER TABLE "Order" ADD COLUMN "sourcingClaimToken" TEXT;
ALTER TABLE "Order" ADD COLUMN "groupsReadSeq" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Order" ADD COLUMN "groupsAppliedSeq" INTEGER NOT NULL DEFAULT 0;
