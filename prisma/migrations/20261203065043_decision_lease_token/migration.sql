-- AlterTable
ALTER TABLE "RoutingDecision" ADD COLUMN "leaseToken" TEXT;

