// Shoppers for the simulator: real cities with postal codes that exist there, common street names,
// reserved phone numbers (555-01xx) and example.com e-mail addresses.
import type { Rng } from "./prng";
import type { ShippingAddress } from "./standin-contract";

export interface Shopper {
  email: string;
  address: ShippingAddress;
  /** Approximate coordinates of the city, for maps and distance checks. */
  latitude: number;
  longitude: number;
}

type City = readonly [city: string, provinceCode: string, countryCode: "US" | "CA", zip: string, lat: number, lng: number, weight: number];

export const CITIES: City[] = [
  ["New York", "NY", "US", "10025", 40.7986, -73.9667, 6],
  ["Brooklyn", "NY", "US", "11201", 40.6937, -73.9903, 5],
  ["Buffalo", "NY", "US", "14202", 42.8864, -78.8784, 1],
  ["Rochester", "NY", "US", "14604", 43.1566, -77.6088, 1],
  ["Los Angeles", "CA", "US", "90026", 34.0766, -118.2646, 6],
  ["San Francisco", "CA", "US", "94110", 37.7486, -122.4184, 4],
  ["San Diego", "CA", "US", "92101", 32.7157, -117.1611, 3],
  ["Sacramento", "CA", "US", "95814", 38.5816, -121.4944, 2],
  ["Oakland", "CA", "US", "94612", 37.8044, -122.2712, 2],
  ["Seattle", "WA", "US", "98103", 47.6694, -122.3419, 4],
  ["Spokane", "WA", "US", "99201", 47.6588, -117.426, 1],
  ["Portland", "OR", "US", "97205", 45.5202, -122.6866, 3],
  ["Boise", "ID", "US", "83702", 43.6323, -116.1988, 1],
  ["Salt Lake City", "UT", "US", "84101", 40.7561, -111.8985, 2],
  ["Phoenix", "AZ", "US", "85004", 33.4515, -112.0685, 3],
  ["Tucson", "AZ", "US", "85701", 32.2217, -110.9697, 1],
  ["Las Vegas", "NV", "US", "89101", 36.1716, -115.1391, 2],
  ["Reno", "NV", "US", "89501", 39.5262, -119.8127, 1],
  ["Denver", "CO", "US", "80205", 39.7589, -104.9659, 4],
  ["Boulder", "CO", "US", "80302", 40.015, -105.2705, 2],
  ["Albuquerque", "NM", "US", "87102", 35.0844, -106.6504, 1],
  ["Austin", "TX", "US", "78701", 30.2711, -97.7437, 4],
  ["Houston", "TX", "US", "77002", 29.7589, -95.3677, 4],
  ["Dallas", "TX", "US", "75201", 32.7876, -96.7994, 3],
  ["San Antonio", "TX", "US", "78205", 29.4246, -98.4951, 2],
  ["Oklahoma City", "OK", "US", "73102", 35.4689, -97.5195, 1],
  ["Kansas City", "MO", "US", "64105", 39.1031, -94.5844, 1],
  ["St. Louis", "MO", "US", "63101", 38.6312, -90.1922, 1],
  ["Minneapolis", "MN", "US", "55401", 44.9847, -93.2696, 3],
  ["Chicago", "IL", "US", "60614", 41.9227, -87.6533, 6],
  ["Evanston", "IL", "US", "60201", 42.0451, -87.6877, 1],
  ["Milwaukee", "WI", "US", "53202", 43.0451, -87.8993, 1],
  ["Madison", "WI", "US", "53703", 43.0747, -89.3841, 1],
  ["Detroit", "MI", "US", "48226", 42.3314, -83.0458, 2],
  ["Ann Arbor", "MI", "US", "48104", 42.2665, -83.7225, 1],
  ["Columbus", "OH", "US", "43215", 39.9653, -83.0125, 2],
  ["Cleveland", "OH", "US", "44113", 41.4822, -81.6937, 1],
  ["Cincinnati", "OH", "US", "45202", 39.1031, -84.512, 1],
  ["Indianapolis", "IN", "US", "46204", 39.7714, -86.1578, 1],
  ["Louisville", "KY", "US", "40202", 38.2527, -85.7585, 1],
  ["Nashville", "TN", "US", "37203", 36.1506, -86.7925, 2],
  ["Memphis", "TN", "US", "38103", 35.1495, -90.049, 1],
  ["Atlanta", "GA", "US", "30303", 33.7537, -84.3863, 3],
  ["Savannah", "GA", "US", "31401", 32.0809, -81.0912, 1],
  ["Charlotte", "NC", "US", "28202", 35.2271, -80.8431, 2],
  ["Raleigh", "NC", "US", "27601", 35.7796, -78.6382, 2],
  ["Richmond", "VA", "US", "23219", 37.5407, -77.436, 1],
  ["Arlington", "VA", "US", "22201", 38.8868, -77.0952, 2],
  ["Washington", "DC", "US", "20001", 38.9101, -77.0147, 3],
  ["Baltimore", "MD", "US", "21202", 39.2904, -76.6122, 2],
  ["Philadelphia", "PA", "US", "19103", 39.9526, -75.1738, 4],
  ["Pittsburgh", "PA", "US", "15222", 40.4469, -79.9901, 2],
  ["Newark", "NJ", "US", "07102", 40.7357, -74.1724, 2],
  ["Jersey City", "NJ", "US", "07302", 40.7196, -74.0431, 2],
  ["Hoboken", "NJ", "US", "07030", 40.744, -74.0324, 1],
  ["Boston", "MA", "US", "02116", 42.3496, -71.0746, 4],
  ["Cambridge", "MA", "US", "02139", 42.3647, -71.1042, 2],
  ["Providence", "RI", "US", "02903", 41.824, -71.4128, 1],
  ["Hartford", "CT", "US", "06103", 41.7658, -72.6734, 1],
  ["Burlington", "VT", "US", "05401", 44.4759, -73.2121, 1],
  ["Portland", "ME", "US", "04101", 43.6591, -70.2568, 1],
  ["Miami", "FL", "US", "33130", 25.7663, -80.2055, 3],
  ["Orlando", "FL", "US", "32801", 28.5421, -81.379, 2],
  ["Tampa", "FL", "US", "33602", 27.9506, -82.4572, 2],
  ["Jacksonville", "FL", "US", "32202", 30.3322, -81.6557, 1],
  ["New Orleans", "LA", "US", "70112", 29.9574, -90.0766, 1],
  ["Birmingham", "AL", "US", "35203", 33.5186, -86.8104, 1],
  ["Omaha", "NE", "US", "68102", 41.2565, -95.9345, 1],
  ["Des Moines", "IA", "US", "50309", 41.5868, -93.625, 1],
  ["Honolulu", "HI", "US", "96813", 21.3069, -157.8583, 1],
  ["Anchorage", "AK", "US", "99501", 61.2181, -149.9003, 1],
  ["Toronto", "ON", "CA", "M5V 2T6", 43.6426, -79.3871, 4],
  ["Toronto", "ON", "CA", "M4Y 1R5", 43.6677, -79.3848, 2],
  ["Ottawa", "ON", "CA", "K1P 5G4", 45.4215, -75.6972, 2],
  ["Hamilton", "ON", "CA", "L8P 4R5", 43.2557, -79.8711, 1],
  ["Montréal", "QC", "CA", "H2X 1Y4", 45.5089, -73.5617, 3],
  ["Québec", "QC", "CA", "G1R 4P5", 46.8139, -71.208, 1],
  ["Vancouver", "BC", "CA", "V6B 1A1", 49.2827, -123.1207, 3],
  ["Victoria", "BC", "CA", "V8W 1P6", 48.4284, -123.3656, 1],
  ["Calgary", "AB", "CA", "T2P 1J9", 51.0447, -114.0719, 2],
  ["Edmonton", "AB", "CA", "T5J 0N3", 53.5461, -113.4938, 1],
  ["Winnipeg", "MB", "CA", "R3C 0V8", 49.8951, -97.1384, 1],
  ["Halifax", "NS", "CA", "B3J 1S9", 44.6488, -63.5752, 1],
  ["Saskatoon", "SK", "CA", "S7K 1J5", 52.1332, -106.67, 1],
];

const FIRST_NAMES = [
  "Olivia",
  "Liam",
  "Emma",
  "Noah",
  "Ava",
  "Elijah",
  "Sophia",
  "James",
  "Isabella",
  "Lucas",
  "Mia",
  "Mateo",
  "Amelia",
  "Benjamin",
  "Harper",
  "Henry",
  "Evelyn",
  "Theodore",
  "Camila",
  "Jack",
  "Priya",
  "Arjun",
  "Mei",
  "Wei",
  "Aaliyah",
  "Malik",
  "Sofia",
  "Diego",
  "Chloé",
  "Étienne",
  "Hannah",
  "Owen",
  "Zoe",
  "Caleb",
  "Nora",
  "Ethan",
  "Grace",
  "Samuel",
  "Leah",
  "Daniel",
  "Fatima",
  "Omar",
  "Yuki",
  "Kenji",
  "Maya",
  "Gabriel",
  "Ines",
  "Ravi",
];

const LAST_NAMES = [
  "Smith",
  "Johnson",
  "Williams",
  "Brown",
  "Jones",
  "Garcia",
  "Miller",
  "Davis",
  "Rodriguez",
  "Martinez",
  "Hernandez",
  "Lopez",
  "Gonzalez",
  "Wilson",
  "Anderson",
  "Thomas",
  "Taylor",
  "Moore",
  "Jackson",
  "Martin",
  "Lee",
  "Nguyen",
  "Patel",
  "Kim",
  "Chen",
  "Wong",
  "Singh",
  "Tremblay",
  "Roy",
  "Gagnon",
  "Campbell",
  "MacDonald",
  "O'Brien",
  "Murphy",
  "Rivera",
  "Cohen",
  "Khan",
  "Okafor",
  "Yamamoto",
  "Novak",
  "Fischer",
  "Rossi",
  "Haddad",
];

const STREETS = [
  "Main St",
  "Oak St",
  "Maple Ave",
  "Cedar St",
  "Pine St",
  "Elm St",
  "Washington St",
  "Park Ave",
  "Lake St",
  "Hill St",
  "Church St",
  "Highland Ave",
  "Franklin St",
  "Madison Ave",
  "Jefferson St",
  "Spruce St",
  "Walnut St",
  "Chestnut St",
  "Ridge Rd",
  "Forest Ave",
  "Grove St",
  "Union St",
  "Center St",
  "Water St",
  "2nd Ave",
  "5th St",
];

const CA_STREETS = ["King St W", "Queen St E", "Rue Saint-Denis", "Bloor St W", "Granville St", "Jasper Ave", "Portage Ave", "Spring Garden Rd"];

function emailFor(first: string, last: string, n: number): string {
  const ascii = (s: string) =>
    s
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^A-Za-z]/g, "")
      .toLowerCase();
  return `${ascii(first)}.${ascii(last)}${n}@example.com`;
}

export function buildShoppers(rng: Rng, count: number): Shopper[] {
  const weighted = CITIES.map((c) => [c, c[6]] as const);
  const shoppers: Shopper[] = [];
  for (let i = 0; i < count; i++) {
    const [city, provinceCode, countryCode, zip, latitude, longitude] = rng.weighted(weighted);
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    const street = countryCode === "CA" ? rng.pick(CA_STREETS) : rng.pick(STREETS);
    const number = rng.int(10, 4999);
    const apartment = rng.chance(0.25) ? `, Apt ${rng.int(1, 40)}${rng.pick(["", "A", "B", "C"])}` : "";
    shoppers.push({
      email: emailFor(firstName, lastName, i + 1),
      address: {
        firstName,
        lastName,
        address1: `${number} ${street}${apartment}`,
        city,
        provinceCode,
        countryCode,
        zip,
        phone: `+1 ${rng.int(201, 989)}-555-01${String(rng.int(0, 99)).padStart(2, "0")}`,
      },
      latitude,
      longitude,
    });
  }
  return shoppers;
}
