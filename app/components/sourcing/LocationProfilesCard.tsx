import { Badge, BlockStack, Button, Card, DataTable, Text } from "@shopify/polaris";
import { useState } from "react";
import type { SourcingPageView } from "~/.server/services/sourcing-admin";
import type { ActionResult } from "./format";
import { ProfileForm } from "./ProfileForm";
import { ResultBanner } from "./ResultBanner";

/** What the engine knows of each location beyond Shopify's own fields; defaults until a profile is saved. */
export function LocationProfilesCard({ locations, currency, result }: { locations: SourcingPageView["locations"]; currency: string; result?: ActionResult }) {
  const [editing, setEditing] = useState<string | null>(result && !result.ok ? (result.locationId ?? null) : null);
  const current = locations.find((l) => l.id === editing);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Location profiles
        </Text>
        <ResultBanner result={result} />
        {locations.length === 0 ? (
          <Text as="p" tone="subdued">
            No locations yet: they appear after the first inventory sync.
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "numeric", "text", "text", "text", "text"]}
            headings={["Location", "Kind", "Priority", "Daily capacity", `Handling (${currency})`, `Per km (${currency})`, "Tags", "Serves", "Ships", ""]}
            rows={locations.map((l) => [
              <span key="n">
                {l.name} {!l.active ? <Badge>inactive</Badge> : !l.online ? <Badge>not online</Badge> : null}{" "}
                {!l.explicit ? <Badge tone="attention">defaults</Badge> : null}
              </span>,
              l.kind,
              l.priority,
              l.dailyCapacity ?? "no limit",
              l.handlingCost,
              l.costPerKm,
              l.tags || "—",
              l.servesCountries || "all",
              l.ships,
              <Button key="e" size="slim" onClick={() => setEditing(l.id)}>
                Edit
              </Button>,
            ])}
          />
        )}
        {current ? <ProfileForm key={current.id} location={current} currency={currency} onCancel={() => setEditing(null)} /> : null}
      </BlockStack>
    </Card>
  );
}
