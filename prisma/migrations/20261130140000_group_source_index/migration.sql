-- CreateIndex
CREATE INDEX "FulfillmentGroup_sourceId_idx" ON "FulfillmentGroup"("sourceId");
