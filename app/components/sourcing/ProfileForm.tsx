import { Form, useNavigation } from "@remix-run/react";
import { BlockStack, Button, InlineStack, Select, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { SourcingPageView } from "~/.server/services/sourcing-admin";

type Location = SourcingPageView["locations"][number];
const KINDS = [
  { label: "Warehouse", value: "warehouse" },
  { label: "Store", value: "store" },
  { label: "Drop-ship", value: "dropship" },
  { label: "Pickup point", value: "pickup" },
];

/** One location's profile, posted as a form; the server checks every field. */
export function ProfileForm({ location, currency, onCancel }: { location: Location; currency: string; onCancel: () => void }) {
  const navigation = useNavigation();
  const [f, setF] = useState({
    kind: location.kind,
    priority: String(location.priority),
    dailyCapacity: location.dailyCapacity === null ? "" : String(location.dailyCapacity),
    handlingCost: location.handlingCost,
    costPerKm: location.costPerKm,
    tags: location.tags,
    servesCountries: location.servesCountries,
    shipDays: location.shipDays,
    cutoff: location.cutoff,
    timeZone: location.timeZone,
    closedDates: location.closedDates,
  });
  const field = (k: keyof typeof f) => ({ name: k, value: f[k], onChange: (v: string) => setF({ ...f, [k]: v }), autoComplete: "off" });
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="profile" />
      <input type="hidden" name="locationId" value={location.id} />
      <BlockStack gap="300">
        <InlineStack gap="300" wrap>
          <Select label="Kind" options={KINDS} name="kind" value={f.kind} onChange={(kind) => setF({ ...f, kind })} />
          <div style={{ width: 110 }}>
            <TextField label="Priority" type="number" min={0} helpText="lower ships first" {...field("priority")} />
          </div>
          <div style={{ width: 140 }}>
            <TextField label="Daily capacity" type="number" min={0} helpText="orders a day; blank = no limit" {...field("dailyCapacity")} />
          </div>
          <div style={{ width: 160 }}>
            <TextField label="Handling per shipment" suffix={currency} {...field("handlingCost")} />
          </div>
          <div style={{ width: 130 }}>
            <TextField label="Cost per km" suffix={currency} {...field("costPerKm")} />
          </div>
        </InlineStack>
        <InlineStack gap="300" wrap>
          <div style={{ width: 260 }}>
            <TextField label="Tags" helpText="comma-separated, for exclude rules" {...field("tags")} />
          </div>
          <div style={{ width: 260 }}>
            <TextField label="Serves countries" helpText="ISO codes, comma-separated; blank = every country" {...field("servesCountries")} />
          </div>
        </InlineStack>
        <InlineStack gap="300" wrap>
          <div style={{ width: 220 }}>
            <TextField label="Ships on" helpText="e.g. Mon, Tue, Wed, Thu, Fri; blank = every day" {...field("shipDays")} />
          </div>
          <div style={{ width: 110 }}>
            <TextField label="Cut-off" helpText="local, e.g. 15:00" {...field("cutoff")} />
          </div>
          <div style={{ width: 200 }}>
            <TextField label="Time zone" helpText="e.g. America/New_York" {...field("timeZone")} />
          </div>
          <div style={{ width: 260 }}>
            <TextField label="Closed dates" helpText="e.g. 2026-12-25, 2027-01-01" {...field("closedDates")} />
          </div>
        </InlineStack>
        <InlineStack gap="200">
          <Button submit variant="primary" loading={navigation.state === "submitting" && navigation.formData?.get("locationId") === location.id}>
            Save profile
          </Button>
          <Button onClick={onCancel}>Cancel</Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}
