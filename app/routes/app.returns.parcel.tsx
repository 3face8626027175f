// A parcel received without an order reference: where, which SKUs (and in what state), and what
// the slip says. The units go into stock at once; the parcel waits in the exception queue for a match.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { shopLocationsView } from "~/.server/services/returns/returns-views";
import { receiveParcel } from "~/.server/services/returns/parcels";
import { requireStaffAction } from "~/.server/services/staff/require-staff-action";
import { Field } from "~/components/returns/Field";
import { authenticate } from "~/shopify.server";

const ROWS = 4;
const DISPOSITIONS = ["restock", "damaged", "quality_control"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  // The parcel's key: a double submit of this form records one parcel.
  return { locations: await shopLocationsView(session.shop), key: randomUUID() };
}

const opt = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((v) => v || null);
const formSchema = z.object({ key: z.string().uuid(), location: z.string().min(1), name: opt, email: opt, phone: opt, tracking: opt, rma: opt });

export async function action({ request }: ActionFunctionArgs) {
  const { staff } = await requireStaffAction(request, "order.return");
  const form = await request.formData();
  const parsed = formSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, message: "Choose the location the parcel arrived at." };
  const f = parsed.data;
  const lines = Array.from({ length: ROWS }, (_, i) => ({
    sku: String(form.get(`sku${i}`) ?? "").trim(),
    quantity: Number(form.get(`qty${i}`) ?? 0),
    disposition: z
      .enum(DISPOSITIONS)
      .catch("restock")
      .parse(form.get(`disp${i}`)),
  })).filter((l) => l.sku && l.quantity > 0);
  const locations = await shopLocationsView(staff.shop);
  const r = await receiveParcel(
    {
      shop: staff.shop,
      key: f.key,
      locationId: f.location,
      locationName: locations.find((l) => l.id === f.location)?.name ?? f.location,
      lines,
      slip: { name: f.name, email: f.email, phone: f.phone, tracking: f.tracking, rma: f.rma },
      actor: staff.actor,
    },
    new Date(),
  );
  if (!r.ok) return { ok: false, message: "message" in r.error ? r.error.message : "Not found." };
  return redirect(`/app/returns/${r.value.returnId}`);
}

export default function ParcelPage() {
  const v = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Page title="Receive a parcel without an order" backAction={{ url: "/app/returns" }}>
      <Layout>
        <Layout.Section>
          <Form method="post">
            <input type="hidden" name="key" value={v.key} />
            <BlockStack gap="400">
              {result && !result.ok && <Banner tone="critical">{result.message}</Banner>}
              <Card>
                <BlockStack gap="300">
                  <label>
                    <Text as="span" variant="bodySm">
                      Received at
                    </Text>
                    <select name="location" style={{ display: "block", padding: 6 }}>
                      {v.locations.map((l) => (
                        <option key={l.id} value={l.id}>
                          {l.name}
                        </option>
                      ))}
                    </select>
                  </label>
                  {Array.from({ length: ROWS }, (_, i) => (
                    <InlineStack key={i} gap="200" blockAlign="end">
                      <Field label="SKU" name={`sku${i}`} />
                      <Field label="Units" name={`qty${i}`} type="number" min={0} defaultValue="0" width={70} />
                      <label>
                        <Text as="span" variant="bodySm">
                          Condition
                        </Text>
                        <select name={`disp${i}`} style={{ display: "block", padding: 6 }}>
                          <option value="restock">sellable: restock</option>
                          <option value="damaged">damaged</option>
                          <option value="quality_control">needs quality control</option>
                        </select>
                      </label>
                    </InlineStack>
                  ))}
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    What the slip says
                  </Text>
                  <InlineStack gap="200">
                    <Field label="Name" name="name" />
                    <Field label="Email" name="email" />
                    <Field label="Phone" name="phone" />
                    <Field label="Tracking" name="tracking" />
                    <Field label="RMA number" name="rma" />
                  </InlineStack>
                </BlockStack>
              </Card>
              <Button submit variant="primary">
                Receive parcel
              </Button>
            </BlockStack>
          </Form>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
