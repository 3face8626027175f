import { describe, expect, it } from "vitest";
import { DEMO_SHOP_DOMAIN, demoFixture } from "./fixture";
import { CITIES } from "./fixture-shoppers";

const fixture = demoFixture();
const variants = fixture.shop.products.flatMap((p) => p.variants);

describe("demo fixture", () => {
  it("is the same on every call with the same seed, and different with another", () => {
    expect(demoFixture()).toEqual(fixture);
    expect(demoFixture(7).shop.products).not.toEqual(fixture.shop.products);
  });

  it("is the demo shop with warehouses, retail stores and a drop-ship supplier", () => {
    expect(fixture.shop.domain).toBe(DEMO_SHOP_DOMAIN);
    const kinds = fixture.shop.locations.map((l) => l.kind);
    expect(kinds.filter((k) => k === "warehouse")).toHaveLength(4);
    expect(kinds.filter((k) => k === "store")).toHaveLength(4);
    expect(kinds.filter((k) => k === "dropship")).toHaveLength(1);
    expect(new Set(fixture.shop.locations.map((l) => l.name)).size).toBe(fixture.shop.locations.length);
  });

  it("gives every location an address and coordinates in North America", () => {
    for (const l of fixture.shop.locations) {
      expect(l.address.address1).toMatch(/^\d+ /);
      expect(l.address.zip).toMatch(l.address.countryCode === "US" ? /^\d{5}$/ : /^[A-Z]\d[A-Z] \d[A-Z]\d$/);
      expect(l.latitude).toBeGreaterThan(24);
      expect(l.latitude).toBeLessThan(50);
      expect(l.longitude).toBeGreaterThan(-125);
      expect(l.longitude).toBeLessThan(-66);
    }
  });

  it("has a few hundred variants with unique SKUs and decimal-string prices", () => {
    expect(fixture.shop.products.length).toBeGreaterThanOrEqual(50);
    expect(variants.length).toBeGreaterThanOrEqual(250);
    expect(new Set(variants.map((v) => v.sku)).size).toBe(variants.length);
    for (const v of variants) {
      expect(v.price).toMatch(/^\d+\.\d{2}$/);
      expect(v.sku).toMatch(/^[A-Z0-9]+(-[A-Z0-9]+)+$/);
    }
  });

  it("stocks only known locations, with stock everywhere, zeros in places and a few scarce SKUs", () => {
    const names = new Set(fixture.shop.locations.map((l) => l.name));
    for (const v of variants)
      for (const [name, qty] of Object.entries(v.inventory)) {
        expect(names.has(name)).toBe(true);
        expect(Number.isInteger(qty) && qty >= 0).toBe(true);
      }
    for (const name of names) {
      expect(variants.filter((v) => (v.inventory[name] ?? 0) > 0).length, name).toBeGreaterThan(10);
    }
    expect(variants.filter((v) => Object.values(v.inventory).includes(0)).length).toBeGreaterThan(20);
    expect(fixture.scarceSkus.length).toBeGreaterThanOrEqual(5);
    for (const sku of fixture.scarceSkus) {
      const total = Object.values(variants.find((v) => v.sku === sku)?.inventory ?? {}).reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThanOrEqual(1);
      expect(total).toBeLessThanOrEqual(2);
    }
  });

  it("has about 200 shoppers with complete addresses in known cities", () => {
    expect(fixture.shoppers).toHaveLength(200);
    const known = new Set(CITIES.map(([city, province, , zip]) => `${city}|${province}|${zip}`));
    for (const s of fixture.shoppers) {
      const a = s.address;
      expect(known.has(`${a.city}|${a.provinceCode}|${a.zip}`)).toBe(true);
      expect(a.firstName && a.lastName && a.address1).toBeTruthy();
      expect(s.email).toMatch(/^[a-z]+\.[a-z]+\d+@example\.com$/);
    }
    expect(new Set(fixture.shoppers.map((s) => s.email)).size).toBe(200);
    expect(fixture.shoppers.some((s) => s.address.countryCode === "CA")).toBe(true);
  });
});
