import { Form, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { InventoryPageView } from "~/.server/services/inventory-views";
import { CardTitle, type ActionResult } from "./format";

const WORDS = {
  fail_closed: "Fail-closed: a stale level promises nothing (ATP 0) until Shopify reports it again.",
  fail_open: "Fail-open: a stale level keeps selling its last known ATP.",
};

/** The stale-feed policy, whether anyone chose it, and the form to choose it. */
export function PolicyCard({ policy, result }: { policy: InventoryPageView["policy"]; result?: ActionResult }) {
  const navigation = useNavigation();
  const [staleFeed, setStaleFeed] = useState<string>(policy.staleFeed);
  const [minutes, setMinutes] = useState(String(policy.staleAfterMinutes));
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === "policy";
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <CardTitle>Stale-feed policy</CardTitle>
          {policy.explicit ? <Badge tone="success">{`chosen by ${policy.updatedBy}`}</Badge> : <Badge tone="attention">default — not chosen yet</Badge>}
        </InlineStack>
        <Text as="p">
          {WORDS[policy.staleFeed]} A level is stale {policy.staleAfterMinutes} minutes after its last sync.
        </Text>
        {!policy.explicit ? (
          <Banner tone="warning">
            <p>This is the default. Choose explicitly what a stale inventory feed should do for this shop.</p>
          </Banner>
        ) : null}
        {result ? <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner> : null}
        <Form method="post">
          <input type="hidden" name="intent" value="policy" />
          <InlineStack gap="300" blockAlign="end" wrap>
            <Select
              label="When the feed is stale"
              name="staleFeed"
              value={staleFeed}
              onChange={setStaleFeed}
              options={[
                { label: "Fail-closed (sell nothing)", value: "fail_closed" },
                { label: "Fail-open (keep last ATP)", value: "fail_open" },
              ]}
            />
            <div style={{ width: 160 }}>
              <TextField
                label="Stale after (minutes)"
                type="number"
                name="staleAfterMinutes"
                value={minutes}
                onChange={setMinutes}
                min={1}
                max={10080}
                autoComplete="off"
              />
            </div>
            <Button submit loading={saving}>
              {policy.explicit ? "Save policy" : "Choose this policy"}
            </Button>
          </InlineStack>
        </Form>
      </BlockStack>
    </Card>
  );
}
