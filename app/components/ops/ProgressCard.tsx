import { useFetcher } from "@remix-run/react";
import { BlockStack, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { useEffect } from "react";

type Work = { work: { id: string; label: string; state: string; progress: number }[] };

/** Progress bars for long work (backfill, full reconcile), fed by each job's own progress; polls every 2 s. */
export function ProgressCard() {
  const fetcher = useFetcher<Work>();
  useEffect(() => {
    fetcher.load("/app/progress");
    const t = setInterval(() => fetcher.load("/app/progress"), 2_000);
    return () => clearInterval(t);
  }, []);
  const work = fetcher.data?.work ?? [];
  if (work.length === 0) return null;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingSm">
          Work in progress
        </Text>
        {work.map((w) => (
          <BlockStack gap="100" key={w.id}>
            <InlineStack align="space-between">
              <Text as="span" variant="bodySm">
                {w.label}
              </Text>
              <Text as="span" variant="bodySm" tone="subdued">
                {w.state === "active" ? `${w.progress}%` : w.state}
              </Text>
            </InlineStack>
            <ProgressBar progress={w.progress} size="small" tone={w.state === "active" ? "highlight" : "primary"} />
          </BlockStack>
        ))}
      </BlockStack>
    </Card>
  );
}
