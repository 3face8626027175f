-- CreateTable
CREATE TABLE "CustomerReturnRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "requestKey" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "returnId" TEXT,
    "returnName" TEXT,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "CustomerReturnRequest_shop_requestKey_key" ON "CustomerReturnRequest"("shop", "requestKey");

