import { describe, expect, it } from "vitest";
import { addressProblem } from "./address-check";

describe("address check (postal code of its country and state/province)", () => {
  it("passes a real ZIP in its state and a real FSA in its province; other countries are not checked", () => {
    expect(addressProblem({ countryCode: "US", provinceCode: "TX", zip: "78701" })).toBeNull();
    expect(addressProblem({ countryCode: "US", provinceCode: "TX", zip: "78701-1234" })).toBeNull();
    expect(addressProblem({ countryCode: "CA", provinceCode: "QC", zip: "H2X 1Y4" })).toBeNull();
    expect(addressProblem({ countryCode: "DE", provinceCode: null, zip: "10115" })).toBeNull();
  });
  it("names what is wrong: not a postal code, unknown, or of another state/province", () => {
    expect(addressProblem({ countryCode: "US", provinceCode: "TX", zip: "7870" })).toBe('"7870" is not a US ZIP code');
    expect(addressProblem({ countryCode: "US", provinceCode: "TX", zip: "00000" })).toBe("ZIP code 00000 does not exist");
    expect(addressProblem({ countryCode: "US", provinceCode: "NY", zip: "78701" })).toBe("ZIP code 78701 is in TX, not NY");
    expect(addressProblem({ countryCode: "CA", provinceCode: "ON", zip: "H2X 1Y4" })).toBe("postal code H2X 1Y4 is in QC, not ON");
  });
});
