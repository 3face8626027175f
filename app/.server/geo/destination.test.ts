import { describe, expect, it } from "vitest";
import { destinationOf, postalCentroid } from "./destination";

describe("destination coordinates", () => {
  it("uses the address's own coordinates when Shopify has them", () => {
    expect(destinationOf({ countryCode: "US", provinceCode: "TX", zip: "78701", latitude: 30.1, longitude: -97.1 })).toMatchObject({
      latitude: 30.1,
      longitude: -97.1,
      coordinatesFrom: "address",
    });
  });

  it("falls back to the centroid of a US ZIP (ZIP+4 too) or a Canadian forward sortation area", () => {
    const austin = postalCentroid("US", "78701-1234")!;
    expect(austin.latitude).toBeCloseTo(30.27, 1);
    expect(austin.longitude).toBeCloseTo(-97.74, 1);
    const toronto = destinationOf({ countryCode: "CA", provinceCode: "ON", zip: "m5v 3l9", latitude: null, longitude: null });
    expect(toronto.coordinatesFrom).toBe("postal_code");
    expect(toronto.latitude).toBeCloseTo(43.65, 1);
  });

  it("says unknown for a postal code it cannot place, another country, or no address", () => {
    expect(destinationOf({ countryCode: "US", provinceCode: null, zip: "00000", latitude: null, longitude: null }).coordinatesFrom).toBe("unknown");
    expect(destinationOf({ countryCode: "GB", provinceCode: null, zip: "SW1A 1AA", latitude: null, longitude: null }).coordinatesFrom).toBe("unknown");
    expect(destinationOf(null)).toMatchObject({ latitude: null, coordinatesFrom: "unknown" });
    // A Canadian-looking code claimed as US is not looked up as Canadian.
    expect(postalCentroid("US", "M5V")).toBeNull();
  });
});
