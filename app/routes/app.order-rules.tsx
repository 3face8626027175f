import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { orderRulesView, saveReleaseAndCapturePolicy, type PolicyError } from "~/.server/services/release/order-policy-admin";
import { requireStaffAction, staffCapabilities } from "~/.server/services/staff/require-staff-action";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session, can } = await staffCapabilities(request);
  return { ...(await orderRulesView(session.shop)), edit: can["settings.edit"] };
}

const formSchema = z.object({
  holdHighRisk: z.string().optional(),
  validateAddress: z.string().optional(),
  maxValue: z.string().max(30).default(""),
  paymentTermsRelease: z.string(),
  captureMode: z.string(),
  authorizationWarnHours: z.coerce.number(),
});
const MESSAGES: Record<PolicyError["code"], string> = {
  INVALID_MAX_VALUE: "The review limit must be an amount above 0 in the shop's currency, e.g. 1000.00 (blank: no limit).",
  INVALID_WARN_HOURS: "Warn hours must be a whole number from 1 to 720.",
  INVALID_CHOICE: "Choose one of the options listed.",
  CHANGED_MEANWHILE: "Someone saved these rules at the same time; reload and try again.",
};

export async function action({ request }: ActionFunctionArgs) {
  const { session, staff } = await requireStaffAction(request, "settings.edit");
  const f = formSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!f.success) return { ok: false, message: "The form could not be read; reload the page and try again." };
  const r = await saveReleaseAndCapturePolicy(
    session.shop,
    { ...f.data, holdHighRisk: f.data.holdHighRisk === "on", validateAddress: f.data.validateAddress === "on" },
    staff,
    new Date(),
  );
  return r.ok ? { ok: true, message: "Order rules saved." } : { ok: false, message: MESSAGES[r.error.code] };
}

export default function OrderRules() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [risk, setRisk] = useState(d.holdHighRisk);
  const [address, setAddress] = useState(d.validateAddress);
  const [max, setMax] = useState(d.maxValue);
  const [terms, setTerms] = useState<string>(d.paymentTermsRelease);
  const [capture, setCapture] = useState<string>(d.captureMode);
  const [warn, setWarn] = useState(String(d.authorizationWarnHours));
  const off = !d.edit.allowed;
  return (
    <Page title="Order rules" subtitle="When orders are released to fulfilment, and when payment is captured">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {off ? (
              <Banner tone="warning" title="You can see these rules but not change them">
                <p>{d.edit.reason}</p>
              </Banner>
            ) : null}
            {result ? <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner> : null}
            <Form method="post">
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Release rules (held until a person releases or cancels)
                  </Text>
                  <Checkbox label="Hold orders Shopify rates high risk" name="holdHighRisk" checked={risk} onChange={setRisk} disabled={off} />
                  <Checkbox
                    label="Hold orders whose postal code is not of their country or state/province (US, Canada)"
                    name="validateAddress"
                    checked={address}
                    onChange={setAddress}
                    disabled={off}
                  />
                  <TextField
                    label={`Hold orders above (${d.currency}, blank: no limit)`}
                    name="maxValue"
                    value={max}
                    onChange={setMax}
                    autoComplete="off"
                    disabled={off}
                  />
                  <Select
                    label="Orders with payment terms (B2B, drafts)"
                    name="paymentTermsRelease"
                    value={terms}
                    onChange={setTerms}
                    disabled={off}
                    options={[
                      { label: "Release at once (fulfil before payment)", value: "on_order" },
                      { label: "Release once paid", value: "on_payment" },
                    ]}
                  />
                  <Text as="h2" variant="headingMd">
                    Payment capture
                  </Text>
                  <Select
                    label="Capture"
                    name="captureMode"
                    value={capture}
                    onChange={setCapture}
                    disabled={off}
                    options={[
                      { label: "Automatic at checkout", value: "automatic" },
                      { label: "Manual: capture each shipment's share when it ships", value: "on_shipment" },
                    ]}
                  />
                  <TextField
                    label="Warn before an authorisation lapses (hours)"
                    type="number"
                    name="authorizationWarnHours"
                    value={warn}
                    onChange={setWarn}
                    autoComplete="off"
                    disabled={off}
                  />
                  <Button submit variant="primary" disabled={off}>
                    Save order rules
                  </Button>
                </BlockStack>
              </Card>
            </Form>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
