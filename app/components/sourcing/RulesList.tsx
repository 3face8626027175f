import { BlockStack, Button, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import type { Rule } from "~/domain/sourcing/types";
import { RANKING_RULES, ruleLabel } from "./rules";

type Props = { rules: Rule[]; onChange: (rules: Rule[]) => void; locations: { id: string; name: string }[]; locationTags: string[] };

const move = (rules: Rule[], i: number, by: number) => {
  const next = [...rules];
  const [r] = next.splice(i, 1);
  next.splice(i + by, 0, r!);
  return next;
};

/** The ordered rules: ranking rules break ties in this order; exclusions are filters wherever they sit. */
export function RulesList({ rules, onChange, locations, locationTags }: Props) {
  const set = (i: number, r: Rule) => onChange(rules.map((x, j) => (j === i ? r : x)));
  const unused = RANKING_RULES.filter((r) => !rules.some((x) => x.type === r.type));
  return (
    <BlockStack gap="200">
      {rules.map((rule, i) => (
        <div key={i} style={{ border: "1px solid #e3e3e3", borderRadius: 8, padding: 8 }}>
          <InlineStack gap="200" blockAlign="center" wrap>
            <Text as="span" fontWeight="semibold">
              {`${i + 1}. ${ruleLabel(rule)}`}
            </Text>
            {rule.type === "exclude" ? (
              <>
                <Select
                  label="Location"
                  labelInline
                  options={[
                    { label: "any", value: "" },
                    ...locations.map((l) => ({ label: l.name, value: l.id })),
                    ...(rule.locationId && !locations.some((l) => l.id === rule.locationId) ? [{ label: rule.locationId, value: rule.locationId }] : []),
                  ]}
                  value={rule.locationId ?? ""}
                  onChange={(v) => set(i, { ...rule, locationId: v || undefined })}
                />
                <div style={{ width: 150 }}>
                  <TextField
                    label="Location tag"
                    labelHidden
                    placeholder="location tag"
                    value={rule.locationTag ?? ""}
                    onChange={(v) => set(i, { ...rule, locationTag: v || undefined })}
                    autoComplete="off"
                    helpText={locationTags.length ? `known: ${locationTags.join(", ")}` : undefined}
                  />
                </div>
                <div style={{ width: 170 }}>
                  <TextField
                    label="Only for product tag"
                    labelHidden
                    placeholder="only for product tag"
                    value={rule.whenProductTag ?? ""}
                    onChange={(v) => set(i, { ...rule, whenProductTag: v || undefined })}
                    autoComplete="off"
                  />
                </div>
              </>
            ) : (
              <Text as="span" tone="subdued">
                {RANKING_RULES.find((r) => r.type === rule.type)?.help ?? ""}
              </Text>
            )}
            <Button size="slim" disabled={i === 0} onClick={() => onChange(move(rules, i, -1))} accessibilityLabel="Move up">
              ↑
            </Button>
            <Button size="slim" disabled={i === rules.length - 1} onClick={() => onChange(move(rules, i, 1))} accessibilityLabel="Move down">
              ↓
            </Button>
            <Button size="slim" tone="critical" variant="plain" onClick={() => onChange(rules.filter((_, j) => j !== i))}>
              Remove
            </Button>
          </InlineStack>
        </div>
      ))}
      <InlineStack gap="200" wrap>
        {unused.map((r) => (
          <Button key={r.type} size="slim" onClick={() => onChange([...rules, { type: r.type }])}>
            {`+ ${r.label}`}
          </Button>
        ))}
        <Button size="slim" onClick={() => onChange([...rules, { type: "exclude" }])}>
          + Exclude
        </Button>
      </InlineStack>
    </BlockStack>
  );
}
