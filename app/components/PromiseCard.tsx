import { Badge, BlockStack, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import type { OrderPromiseView } from "~/.server/services/promise/promise-views";

const range = (a: string, b: string) => (a === b ? a : `${a} – ${b}`);

/** The delivery promise the order was placed with, and whether it is being kept. */
export function PromiseCard({ promise }: { promise: OrderPromiseView | null }) {
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between">
          <Text as="h2" variant="headingMd">
            Delivery promise
          </Text>
          {promise ? (
            promise.outcome === "kept" ? (
              <Badge tone="success">Kept</Badge>
            ) : promise.outcome === "missed" ? (
              <Badge tone="critical">Missed</Badge>
            ) : promise.atRisk ? (
              <Badge tone="warning">At risk</Badge>
            ) : (
              <Badge tone="info">On track</Badge>
            )
          ) : null}
        </InlineStack>
        {!promise ? (
          <Text as="p" tone="subdued">
            No promise was shown at checkout for this order.
          </Text>
        ) : (
          <>
            <Text as="p" variant="headingLg">
              {range(promise.earliest, promise.latest)}
            </Text>
            <InlineGrid columns={2} gap="100">
              <Text as="span" tone="subdued">
                Method
              </Text>
              <Text as="span">{[promise.method, promise.carrier].filter(Boolean).join(" · ") || "—"}</Text>
              <Text as="span" tone="subdued">
                Promise
              </Text>
              <Text as="span" breakWord>
                {promise.promiseId}
                {promise.verified ? "" : " (dates from the cart only)"}
              </Text>
              <Text as="span" tone="subdued">
                Zone
              </Text>
              <Text as="span">{promise.zone || "—"}</Text>
              <Text as="span" tone="subdued">
                Shipped
              </Text>
              <Text as="span">{promise.firstShippedAt?.slice(0, 16).replace("T", " ") ?? "not yet"}</Text>
              <Text as="span" tone="subdued">
                Delivered
              </Text>
              <Text as="span">{promise.deliveredAt?.slice(0, 16).replace("T", " ") ?? "not yet"}</Text>
            </InlineGrid>
            {promise.reason ? (
              <Text as="p" tone="subdued">
                {promise.reason}
              </Text>
            ) : null}
            {promise.parcels.length > 1
              ? promise.parcels.map((p, i) => (
                  <Text as="p" key={i} tone="subdued">
                    Parcel {i + 1}: {p.location}, ships {p.shipDate ?? "undated"}
                    {p.window ? `, arrives ${range(p.window.earliest, p.window.latest)}` : ""}
                  </Text>
                ))
              : null}
          </>
        )}
      </BlockStack>
    </Card>
  );
}
