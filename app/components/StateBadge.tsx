import { Badge } from "@shopify/polaris";

type Tone = "success" | "info" | "attention" | "warning" | "critical" | undefined;

const TONES: Record<string, Tone> = {
  received: "info",
  released: "info",
  allocated: "info",
  sourced: "attention",
  picking: "attention",
  shipped: "success",
  delivered: "success",
  on_hold: "warning",
  backordered: "warning",
  cancelled: undefined,
  returned: undefined,
  refunded: undefined,
};

export function StateBadge({ state }: { state: string }) {
  return <Badge tone={TONES[state]}>{state.replace("_", " ")}</Badge>;
}
