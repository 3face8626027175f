import { Form, useActionData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, InlineStack, Text, TextField, Tooltip } from "@shopify/polaris";
import { useState } from "react";

type Can = { allowed: boolean; reason?: string };
const PERSON_RULES = new Set(["high_risk", "address", "value"]);
const RULE_TITLES: Record<string, string> = {
  high_risk: "Held: Shopify rates this order high risk",
  address: "Held: the shipping address failed validation",
  value: "Held: above the review limit",
  payment: "Held: awaiting payment",
  pre_order: "Held: pre-order waiting for its date",
};

/** Why the order is held before release and, for a person's decision, Release / Cancel — disabled with the reason when the staff member may not. */
export function HoldCard({
  holdRule,
  holdReason,
  releaseAfter,
  release,
  cancel,
  you,
}: {
  holdRule: string | null;
  holdReason: string;
  releaseAfter: string | null;
  release: Can;
  cancel: Can;
  you: { userId: string | null; role: string | null };
}) {
  const result = useActionData<{ error: string | null; message?: string }>();
  const navigation = useNavigation();
  const [note, setNote] = useState("");
  const person = holdRule !== null && PERSON_RULES.has(holdRule);
  return (
    <Banner tone={person ? "warning" : "info"} title={RULE_TITLES[holdRule ?? ""] ?? "On hold"}>
      <BlockStack gap="200">
        <Text as="p">
          <span data-testid="hold-reason">{holdReason}</span>
          {releaseAfter ? ` (released automatically on ${new Date(releaseAfter).toLocaleDateString()})` : ""}
        </Text>
        {result?.error ? (
          <Text as="p" tone="critical">
            {result.error}
          </Text>
        ) : result?.message ? (
          <Text as="p" tone="success">
            {result.message}
          </Text>
        ) : null}
        {person ? (
          <Form method="post">
            <input type="hidden" name="intent" value="release" />
            <BlockStack gap="200">
              <TextField label="Note for the timeline" name="note" value={note} onChange={setNote} autoComplete="off" disabled={!release.allowed} />
              <InlineStack gap="200" blockAlign="center">
                <Tooltip content={release.reason ?? "Release the order to sourcing"}>
                  <Button submit variant="primary" disabled={!release.allowed} loading={navigation.state === "submitting"}>
                    Release order
                  </Button>
                </Tooltip>
                <Tooltip content={cancel.reason ?? "Cancel the order in Shopify admin"}>
                  <Button disabled={!cancel.allowed} url="shopify://admin/orders" target="_top">
                    Cancel order
                  </Button>
                </Tooltip>
              </InlineStack>
              {!release.allowed ? (
                <Text as="p" tone="subdued">
                  <span data-testid="release-denied">
                    {release.reason} (you are user {you.userId ?? "unknown"}, role {you.role ?? "none"})
                  </span>
                </Text>
              ) : null}
            </BlockStack>
          </Form>
        ) : null}
      </BlockStack>
    </Banner>
  );
}
