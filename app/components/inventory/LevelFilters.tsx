import { Form, useNavigation, useSearchParams } from "@remix-run/react";
import { Button, Card, Checkbox, InlineStack, Select, TextField } from "@shopify/polaris";
import { useState } from "react";

/** The levels' filter bar: a GET form, so the filters live in the URL like the orders list. */
export function LevelFilters({ locations }: { locations: { id: string; name: string }[] }) {
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const [sku, setSku] = useState(params.get("sku") ?? "");
  const [match, setMatch] = useState(params.get("match") ?? "contains");
  const [location, setLocation] = useState(params.get("location") ?? "");
  const [stale, setStale] = useState(params.get("stale") === "1");
  const [zero, setZero] = useState(params.get("zero") === "1");
  return (
    <Card>
      <Form method="get">
        <InlineStack gap="300" blockAlign="end" wrap>
          <div style={{ minWidth: 200 }}>
            <TextField
              label="SKU"
              name="sku"
              value={sku}
              onChange={setSku}
              placeholder="TEE-"
              autoComplete="off"
              clearButton
              onClearButtonClick={() => setSku("")}
            />
          </div>
          <Select
            label="Match"
            name="match"
            value={match}
            onChange={setMatch}
            options={[
              { label: "Contains", value: "contains" },
              { label: "Starts with", value: "prefix" },
            ]}
          />
          <Select
            label="Location"
            name="location"
            value={location}
            onChange={setLocation}
            options={[{ label: "All", value: "" }, ...locations.map((l) => ({ label: l.name, value: l.id }))]}
          />
          <Checkbox label="Only stale" name="stale" value="1" checked={stale} onChange={setStale} />
          <Checkbox label="Only zero ATP" name="zero" value="1" checked={zero} onChange={setZero} />
          <Button submit loading={navigation.state === "loading" && navigation.location?.pathname === "/app/inventory"}>
            Filter
          </Button>
        </InlineStack>
      </Form>
    </Card>
  );
}
