import type { RankingRuleType, Rule } from "~/domain/sourcing/types";

// Rule names as the merchant reads them, shared by the editor and the error messages.

export const RANKING_RULES: { type: RankingRuleType; label: string; help: string }[] = [
  { type: "priority", label: "Location priority", help: "lower priority number ships first" },
  { type: "distance", label: "Closest location", help: "straight-line km to the customer" },
  { type: "fewest_shipments", label: "Fewest shipments", help: "avoid splitting the order" },
  { type: "capacity", label: "Daily capacity", help: "locations at their daily limit go last" },
  { type: "cost", label: "Lowest cost", help: "handling plus per-km cost" },
  { type: "inventory_balance", label: "Inventory balance", help: "most units left after the order" },
  { type: "ship_date", label: "Ships soonest", help: "earliest shipping day by the location's calendar and cut-off" },
];

export function ruleLabel(rule: Rule | { type: string }): string {
  if (rule.type === "exclude") return "Exclude";
  return RANKING_RULES.find((r) => r.type === rule.type)?.label ?? rule.type;
}
