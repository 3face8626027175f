-- CreateTable
CREATE TABLE "LocationDailyLoad" (
    "shop" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "orders" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("shop", "locationId", "day")
);
