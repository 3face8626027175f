// The demo merchant's sourcing set-up, made once after install through the same services the
// Sourcing page uses (validated and audited, actor "demo set-up"): each location's kind from the
// demo fixture, warehouses ranked before stores before the drop-ship supplier, stores with a daily
// capacity, warehouses shipping Monday to Friday until 16:00 local time, and an active rule set
// "Warehouses first" (priority → ships soonest → fewest shipments → distance, up to three
// shipments, ship what is available). Skipped when the shop already has an active rule set.
//   DATABASE_URL=… DEMO_SHOP=… node --import tsx dev/demo/configure-sourcing.ts
import { activeRuleSet } from "~/.server/db/sourcing";
import { stockLocations } from "~/.server/db/stock-settings";
import { activateVersion, editLocationProfile, saveDraft } from "~/.server/services/sourcing-admin";
import { DEMO_SHOP_DOMAIN } from "./fixture";
import { DEMO_LOCATIONS } from "./fixture-locations";

const shop = process.env.DEMO_SHOP ?? DEMO_SHOP_DOMAIN;
const actor = "demo set-up";
// The demo locations' time zones, by province.
const TIME_ZONE: Record<string, string> = {
  NJ: "America/New_York",
  FL: "America/New_York",
  ON: "America/Toronto",
  TX: "America/Chicago",
  IL: "America/Chicago",
  CO: "America/Denver",
  NV: "America/Los_Angeles",
  WA: "America/Los_Angeles",
  OR: "America/Los_Angeles",
};
const PROFILE = {
  warehouse: { priority: 1, dailyCapacity: null, handlingCost: "3.00" },
  store: { priority: 5, dailyCapacity: 40, handlingCost: "5.00" },
  dropship: { priority: 9, dailyCapacity: null, handlingCost: "8.00" },
} as const;

// The install's first inventory sync records the shop's locations: wait for it.
let locations = await stockLocations(shop);
for (let i = 0; locations.length < DEMO_LOCATIONS.length && i < 120; i++) {
  await new Promise((r) => setTimeout(r, 250));
  locations = await stockLocations(shop);
}
if (!locations.length) throw new Error(`no locations recorded for ${shop} yet: the install's inventory sync has not run`);

if (await activeRuleSet(shop)) {
  console.log(`sourcing already configured on ${shop}: left as it is`);
} else {
  const now = new Date();
  for (const l of locations) {
    const seed = DEMO_LOCATIONS.find((d) => d.name === l.name);
    const kind = seed?.kind ?? "warehouse";
    const p = PROFILE[kind as keyof typeof PROFILE] ?? PROFILE.warehouse;
    const calendar =
      kind === "warehouse"
        ? {
            shipDays: "Mon, Tue, Wed, Thu, Fri",
            cutoff: "16:00",
            timeZone: TIME_ZONE[seed?.address.provinceCode ?? ""] ?? "UTC",
            closedDates: "2026-12-25, 2027-01-01",
          }
        : {};
    const saved = await editLocationProfile(
      shop,
      {
        locationId: l.id,
        kind,
        priority: p.priority,
        dailyCapacity: p.dailyCapacity,
        handlingCost: p.handlingCost,
        costPerKm: "0.01",
        tags: "",
        servesCountries: "",
        ...calendar,
      },
      actor,
      now,
    );
    if (!saved.ok) throw new Error(`profile of ${l.name}: ${JSON.stringify(saved.error)}`);
  }
  const draft = await saveDraft(
    shop,
    {
      name: "Warehouses first",
      rules: [{ type: "priority" }, { type: "ship_date" }, { type: "fewest_shipments" }, { type: "distance" }],
      split: { allow: true, maxShipments: 3, minValue: "0" },
      backorder: { mode: "ship_available" },
    },
    actor,
  );
  if (!draft.ok) throw new Error(`rule set: ${JSON.stringify(draft.error)}`);
  const active = await activateVersion(shop, draft.value.version, actor, now);
  if (!active.ok) throw new Error(`activating the rule set: ${JSON.stringify(active.error)}`);
  console.log(
    `sourcing configured on ${shop}: ${locations.length} location profiles, rule set v${active.value.version} "Warehouses first" active (Sourcing page to change it)`,
  );
}
process.exit(0);
