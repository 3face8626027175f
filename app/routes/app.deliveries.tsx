import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, IndexTable, InlineStack, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { deliveriesView } from "~/.server/services/order-views";
import { replayDelivery } from "~/.server/services/replay-delivery";
import { authenticate } from "~/shopify.server";

const PROBLEMS = ["rejected", "failed", "unhandled", "not_installed", "received"];

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const all = new URL(request.url).searchParams.get("all") === "1";
  return { deliveries: await deliveriesView(session.shop, all ? undefined : PROBLEMS), all };
}

const replayForm = z.object({ deliveryId: z.string().min(1) });

export async function action({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const form = replayForm.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) return { ok: false, message: "Choose a delivery to replay." };
  const outcome = await replayDelivery(session.shop, form.data.deliveryId);
  if (outcome.kind === "queued") return { ok: true, message: "Replay queued." };
  if (outcome.kind === "still-invalid") return { ok: false, message: `Still invalid: ${outcome.reason}` };
  return { ok: false, message: "That delivery does not exist." };
}

const TONE = { rejected: "critical", failed: "critical", unhandled: "attention", not_installed: "warning", received: "info", processed: "success" } as const;

export default function Deliveries() {
  const { deliveries, all } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <Page
      title="Webhook deliveries"
      subtitle={
        all
          ? "Every delivery received"
          : "Deliveries that were rejected, failed, have no handler, came for a shop without the app installed, or are still waiting"
      }
      secondaryActions={[
        { content: all ? "Show problems only" : "Show all", url: all ? "?" : `?${new URLSearchParams({ ...Object.fromEntries(params), all: "1" })}` },
      ]}
    >
      <BlockStack gap="400">
        {result ? <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner> : null}
        <Card padding="0">
          <IndexTable
            resourceName={{ singular: "delivery", plural: "deliveries" }}
            itemCount={deliveries.length}
            selectable={false}
            emptyState={
              <div style={{ padding: 16 }}>
                <Text as="p">Nothing needs attention.</Text>
              </div>
            }
            headings={[{ title: "Received" }, { title: "Topic" }, { title: "Status" }, { title: "Reason" }, { title: "" }]}
          >
            {deliveries.map((d, i) => (
              <IndexTable.Row id={d.id} key={d.id} position={i}>
                <IndexTable.Cell>{new Date(d.receivedAt).toLocaleString()}</IndexTable.Cell>
                <IndexTable.Cell>{d.topic}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={TONE[d.status as keyof typeof TONE]}>{d.status}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <div style={{ maxWidth: 420, whiteSpace: "normal" }}>
                    <Text as="span" variant="bodySm">
                      {d.error ?? "—"}
                    </Text>
                  </div>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <InlineStack align="end">
                    {d.status !== "processed" ? (
                      <Form method="post">
                        <input type="hidden" name="deliveryId" value={d.id} />
                        <Button submit size="slim">
                          Replay
                        </Button>
                      </Form>
                    ) : null}
                  </InlineStack>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        </Card>
      </BlockStack>
    </Page>
  );
}
