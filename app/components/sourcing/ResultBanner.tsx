import { Banner, List } from "@shopify/polaris";
import type { ActionResult } from "./format";

/** An action's outcome, with each problem on its own line. */
export function ResultBanner({ result }: { result?: ActionResult }) {
  if (!result) return null;
  return (
    <Banner tone={result.ok ? "success" : "critical"} title={result.message}>
      {result.errors?.length ? (
        <List>
          {result.errors.map((e) => (
            <List.Item key={e}>{e}</List.Item>
          ))}
        </List>
      ) : null}
    </Banner>
  );
}
