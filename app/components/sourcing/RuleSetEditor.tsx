import { useNavigation, useSubmit } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { DraftForm } from "~/.server/services/sourcing-admin";
import { PRODUCT_TAG_NOTE, type ActionResult } from "./format";
import { PolicyFields } from "./PolicyFields";
import { ResultBanner } from "./ResultBanner";
import { RulesList } from "./RulesList";

type Props = {
  from: string;
  initial: DraftForm;
  locations: { id: string; name: string }[];
  locationTags: string[];
  currency: string;
  result?: ActionResult;
  onClose: () => void;
};

/** A new draft: saved versions never change, so saving always stores the next version number. */
export function RuleSetEditor({ from, initial, locations, locationTags, currency, result, onClose }: Props) {
  const [form, setForm] = useState<DraftForm>(initial);
  const submit = useSubmit();
  const navigation = useNavigation();
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const send = (intent: "validate" | "save-draft") => submit({ intent, definition: JSON.stringify(form) }, { method: "post" });
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {`New draft (from ${from})`}
          </Text>
          <Button variant="plain" onClick={onClose}>
            Close
          </Button>
        </InlineStack>
        <TextField label="Name" value={form.name} onChange={(name) => setForm({ ...form, name })} autoComplete="off" maxLength={120} />
        <Text as="h3" variant="headingSm">
          Rules, in order
        </Text>
        <RulesList rules={form.rules} onChange={(rules) => setForm({ ...form, rules })} locations={locations} locationTags={locationTags} />
        <Text as="p" tone="subdued" variant="bodySm">
          {PRODUCT_TAG_NOTE}
        </Text>
        <PolicyFields form={form} onChange={setForm} currency={currency} />
        <ResultBanner result={result} />
        <InlineStack gap="200">
          <Button loading={busy("validate")} onClick={() => send("validate")}>
            Validate
          </Button>
          <Button variant="primary" loading={busy("save-draft")} onClick={() => send("save-draft")}>
            Save draft
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
