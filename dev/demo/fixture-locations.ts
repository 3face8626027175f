// The demo shop's locations: four warehouses, four ship-from-store retail shops and a drop-ship
// supplier. Street addresses, postal codes and coordinates are real places (industrial parks and
// shopping streets), so distance-based sourcing decisions look sensible on a map.
import type { LocationSeed } from "./standin-contract";

export const WAREHOUSES: LocationSeed[] = [
  {
    name: "Edison NJ Warehouse",
    kind: "warehouse",
    address: { address1: "300 Raritan Center Pkwy", city: "Edison", provinceCode: "NJ", countryCode: "US", zip: "08837" },
    latitude: 40.5163,
    longitude: -74.348,
    fulfillsOnlineOrders: true,
    rank: 1,
  },
  {
    name: "Dallas TX Warehouse",
    kind: "warehouse",
    address: { address1: "1400 N Great Southwest Pkwy", city: "Grand Prairie", provinceCode: "TX", countryCode: "US", zip: "75050" },
    latitude: 32.7598,
    longitude: -97.0213,
    fulfillsOnlineOrders: true,
    rank: 2,
  },
  {
    name: "Reno NV Warehouse",
    kind: "warehouse",
    address: { address1: "555 Vista Blvd", city: "Sparks", provinceCode: "NV", countryCode: "US", zip: "89434" },
    latitude: 39.5403,
    longitude: -119.709,
    fulfillsOnlineOrders: true,
    rank: 3,
  },
  {
    name: "Mississauga ON Warehouse",
    kind: "warehouse",
    address: { address1: "6300 Millcreek Dr", city: "Mississauga", provinceCode: "ON", countryCode: "CA", zip: "L5N 5Z7" },
    latitude: 43.5945,
    longitude: -79.756,
    fulfillsOnlineOrders: true,
    rank: 4,
  },
];

export const STORES: LocationSeed[] = [
  {
    name: "Chicago Michigan Ave Store",
    kind: "store",
    address: { address1: "900 N Michigan Ave", city: "Chicago", provinceCode: "IL", countryCode: "US", zip: "60611" },
    latitude: 41.8991,
    longitude: -87.6245,
    fulfillsOnlineOrders: true,
  },
  {
    name: "Seattle Downtown Store",
    kind: "store",
    address: { address1: "1500 4th Ave", city: "Seattle", provinceCode: "WA", countryCode: "US", zip: "98101" },
    latitude: 47.6107,
    longitude: -122.3369,
    fulfillsOnlineOrders: true,
  },
  {
    name: "Miami Beach Lincoln Rd Store",
    kind: "store",
    address: { address1: "1100 Lincoln Rd", city: "Miami Beach", provinceCode: "FL", countryCode: "US", zip: "33139" },
    latitude: 25.7906,
    longitude: -80.1397,
    fulfillsOnlineOrders: true,
  },
  {
    name: "Denver Union Station Store",
    kind: "store",
    address: { address1: "1600 Wewatta St", city: "Denver", provinceCode: "CO", countryCode: "US", zip: "80202" },
    latitude: 39.753,
    longitude: -105.0004,
    fulfillsOnlineOrders: true,
  },
];

export const DROPSHIP: LocationSeed = {
  name: "Cascade Gear Supply (drop-ship)",
  kind: "dropship",
  address: { address1: "2600 NW Yeon Ave", city: "Portland", provinceCode: "OR", countryCode: "US", zip: "97210" },
  latitude: 45.541,
  longitude: -122.717,
  fulfillsOnlineOrders: true,
};

export const DEMO_LOCATIONS: LocationSeed[] = [...WAREHOUSES, ...STORES, DROPSHIP];
