-- CreateIndex
CREATE INDEX "DeadLetter_failedAt_idx" ON "DeadLetter"("failedAt");

-- CreateIndex
CREATE INDEX "OrderEvent_deliveryId_idx" ON "OrderEvent"("deliveryId");

