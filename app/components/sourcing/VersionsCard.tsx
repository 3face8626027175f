import { useNavigation, useSubmit } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import type { SourcingPageView } from "~/.server/services/sourcing-admin";
import { when, type ActionResult } from "./format";
import { ResultBanner } from "./ResultBanner";

type Version = SourcingPageView["versions"][number];
const TONE = { active: "success", draft: "attention", archived: undefined } as const;

/** Every saved version, newest first; drafts can be activated, any version copied into a new draft. */
export function VersionsCard({
  versions,
  result,
  onNew,
  onEdit,
}: {
  versions: Version[];
  result?: ActionResult;
  onNew: () => void;
  onEdit: (v: Version) => void;
}) {
  const submit = useSubmit();
  const navigation = useNavigation();
  const activating = (v: number) =>
    navigation.state === "submitting" && navigation.formData?.get("intent") === "activate" && navigation.formData?.get("version") === String(v);
  const rows = versions.map((v) => [
    `v${v.version}`,
    v.name,
    <Badge key="s" tone={TONE[v.status as keyof typeof TONE]}>
      {v.status}
    </Badge>,
    `${v.createdBy} · ${when(v.createdAt)}`,
    when(v.activatedAt),
    <InlineStack key="a" gap="200">
      <Button size="slim" onClick={() => onEdit(v)}>
        Edit as new draft
      </Button>
      {v.status === "draft" ? (
        <Button
          size="slim"
          variant="primary"
          loading={activating(v.version)}
          onClick={() => submit({ intent: "activate", version: String(v.version) }, { method: "post" })}
        >
          Activate
        </Button>
      ) : null}
    </InlineStack>,
  ]);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Rule sets
          </Text>
          <Button onClick={onNew}>New draft</Button>
        </InlineStack>
        <ResultBanner result={result} />
        {versions.length === 0 ? (
          <Text as="p" tone="subdued">
            No rule set saved yet: orders are routed by the default (fewest shipments, then priority, then distance).
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "text", "text"]}
            headings={["Version", "Name", "Status", "Created", "Activated", ""]}
            rows={rows}
          />
        )}
      </BlockStack>
    </Card>
  );
}
