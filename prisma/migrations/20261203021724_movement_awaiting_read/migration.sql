-- A column with a constant default is added in place (no table rebuild: the ledger can be large).
-- AlterTable
ALTER TABLE "StockMovement" ADD COLUMN "awaitingRead" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "StockMovement_shop_awaitingRead_idx" ON "StockMovement"("shop", "awaitingRead");
