import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, FormLayout, IndexTable, InlineStack, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { monitorsPage } from "~/.server/services/ops/queue-views";
import { updateMonitorSettings } from "~/.server/services/ops/monitor-settings";
import { requestMonitorRun } from "~/.server/services/ops/request-run";
import { requireStaffAction } from "~/.server/services/staff/require-staff-action";
import { monitorSettingsSchema } from "~/schemas/ops-forms";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  return monitorsPage(session.shop, new Date());
}

export async function action({ request }: ActionFunctionArgs) {
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "run") {
    const { staff } = await requireStaffAction(request, "exceptions.work");
    await requestMonitorRun(staff.shop, new Date());
    return { ok: true, message: "Monitors queued to run now." };
  }
  const { staff } = await requireStaffAction(request, "settings.edit");
  const parsed = monitorSettingsSchema.safeParse(form);
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  const r = await updateMonitorSettings(staff, parsed.data, new Date());
  if (!r.ok) return { ok: false, message: `${r.error.field} must be a whole number from ${r.error.min} to ${r.error.max}.` };
  return { ok: true, message: r.value.changed.length ? `Saved: ${r.value.changed.join(", ")}.` : "Nothing changed." };
}

const FIELDS = [
  ["stuckBeforeAllocationMinutes", "Stuck before allocation after (minutes)"],
  ["allocationSlaMinutes", "Default location SLA (minutes)"],
  ["statusSyncMinutes", "No carrier update after (minutes)"],
  ["paymentWindowHours", "Payments compared over (hours)"],
  ["paymentGraceMinutes", "Payment grace (minutes)"],
  ["refundWindowHours", "Refunds compared over (hours)"],
  ["refundGraceMinutes", "Refund grace (minutes)"],
  ["digestMinutes", "At most one alert digest per (minutes)"],
] as const;

export default function Monitors() {
  const { monitors, settings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [values, setValues] = useState<Record<string, string>>(() => ({
    ...Object.fromEntries(FIELDS.map(([k]) => [k, String(settings[k])])),
    locationSlaMinutes: Object.entries(settings.locationSlaMinutes)
      .map(([id, h]) => `${id} = ${h}`)
      .join("\n"),
    alertEmail: settings.alertEmail ?? "",
    alertWebhookUrl: settings.alertWebhookUrl ?? "",
  }));
  const field = (name: string, label: string, extra: Partial<Parameters<typeof TextField>[0]> = {}) => (
    <TextField label={label} name={name} value={values[name] ?? ""} onChange={(v) => setValues({ ...values, [name]: v })} autoComplete="off" {...extra} />
  );
  return (
    <Page
      title="Monitors"
      subtitle="Five stuck states, evaluated every minute; each case is raised once into the exception queue and clears itself"
      backAction={{ url: "/app/exceptions" }}
    >
      <BlockStack gap="400">
        {result ? <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner> : null}
        <Card padding="0">
          <IndexTable
            resourceName={{ singular: "monitor", plural: "monitors" }}
            itemCount={monitors.length}
            selectable={false}
            headings={[{ title: "Monitor" }, { title: "Open" }, { title: "Oldest" }, { title: "Runbook" }]}
          >
            {monitors.map((m, i) => (
              <IndexTable.Row id={m.kind} key={m.kind} position={i}>
                <IndexTable.Cell>
                  <Link to={`/app/exceptions?kind=${m.kind}`}>{m.title}</Link>
                </IndexTable.Cell>
                <IndexTable.Cell>{m.open ? <Badge tone="critical">{String(m.open)}</Badge> : <Badge tone="success">0</Badge>}</IndexTable.Cell>
                <IndexTable.Cell>{m.oldestAge ?? "—"}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Link to={`/app/runbooks/${m.kind}`}>runbook</Link>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        </Card>
        <InlineStack>
          <Form method="post">
            <input type="hidden" name="intent" value="run" />
            <Button submit disabled={busy}>
              Run monitors now
            </Button>
          </Form>
        </InlineStack>
        <Card>
          <Form method="post">
            <input type="hidden" name="intent" value="settings" />
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Thresholds and alerts
              </Text>
              <FormLayout>
                <FormLayout.Group>
                  {FIELDS.slice(0, 4).map(([k, l]) => (
                    <div key={k}>{field(k, l, { type: "number" })}</div>
                  ))}
                </FormLayout.Group>
                <FormLayout.Group>
                  {FIELDS.slice(4).map(([k, l]) => (
                    <div key={k}>{field(k, l, { type: "number" })}</div>
                  ))}
                </FormLayout.Group>
                {field("locationSlaMinutes", "Per-location SLA (one “gid://shopify/Location/… = minutes” per line)", { multiline: 3 })}
                <FormLayout.Group>
                  {field("alertEmail", "Alert digest e-mail", { type: "email" })}
                  {field("alertWebhookUrl", "Alert webhook (Slack-compatible JSON)", { type: "url" })}
                </FormLayout.Group>
              </FormLayout>
              <InlineStack align="space-between" blockAlign="center">
                <Text as="span" tone="subdued" variant="bodySm">
                  Last changed by {settings.updatedBy}
                  {settings.updatedAt ? ` on ${new Date(settings.updatedAt).toLocaleString()}` : ""} (audited)
                </Text>
                <Button submit variant="primary" disabled={busy}>
                  Save
                </Button>
              </InlineStack>
            </BlockStack>
          </Form>
        </Card>
      </BlockStack>
    </Page>
  );
}
