-- AlterTable
ALTER TABLE "Order" ADD COLUMN "moneyDueAt" DATETIME;

-- CreateIndex
CREATE INDEX "Order_shop_moneyDueAt_idx" ON "Order"("shop", "moneyDueAt");

