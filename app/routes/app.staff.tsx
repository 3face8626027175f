import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { assignStaffRole, setDefaultStaffRole, staffPageView, type StaffEditError } from "~/.server/services/staff/staff-admin";
import { requireStaffAction, staffCapabilities } from "~/.server/services/staff/require-staff-action";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session, staff, can } = await staffCapabilities(request);
  const view = await staffPageView(session.shop);
  // Names and emails are for those who manage staff; others see ids and roles.
  const members = can["staff.manage"].allowed ? view.members : view.members.map((m) => ({ ...m, name: null, email: null }));
  return { ...view, members, you: staff, manage: can["staff.manage"] };
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("assign"), userId: z.string().trim(), role: z.string() }),
  z.object({ intent: z.literal("default-role"), role: z.string() }),
]);

const MESSAGES: Record<StaffEditError["code"], string> = {
  UNKNOWN_ROLE: "Choose one of the roles listed.",
  INVALID_USER: "A Shopify staff user id is a number (Settings → Users in Shopify admin).",
  CHANGED_MEANWHILE: "Someone changed this role at the same time; reload and try again.",
};

export async function action({ request }: ActionFunctionArgs) {
  const { session, staff } = await requireStaffAction(request, "staff.manage");
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { ok: false, message: "The form could not be read; reload the page and try again." };
  const f = parsed.data;
  const now = new Date();
  if (f.intent === "assign") {
    const r = await assignStaffRole(session.shop, f.userId, f.role, staff, now);
    return r.ok
      ? { ok: true, message: `User ${f.userId}: ${r.value.before ?? "default"} → ${r.value.after ?? "default"}.` }
      : { ok: false, message: MESSAGES[r.error.code] };
  }
  const r = await setDefaultStaffRole(session.shop, f.role, staff, now);
  return r.ok ? { ok: true, message: `Staff without a role now get ${r.value.after}.` } : { ok: false, message: MESSAGES[r.error.code] };
}

export default function StaffPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [userId, setUserId] = useState("");
  const [role, setRole] = useState("customer_service");
  const [defaultRole, setDefaultRole] = useState<string>(data.defaultRole);
  const disabled = !data.manage.allowed;
  const roleOptions = data.roles.map((r) => ({ label: r.label, value: r.value }));
  return (
    <Page title="Staff" subtitle="Who may cancel, edit, substitute, change a source location, refund or edit rules">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {disabled ? (
              <Banner tone="warning" title="You can see the roles but not change them">
                <p>{data.manage.reason}</p>
              </Banner>
            ) : null}
            {result ? <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner> : null}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Members
                </Text>
                <Text as="p" tone="subdued">
                  You are user {data.you.userId ?? "unknown"} ({data.you.role ?? "no role"}). The store owner always has every right.
                </Text>
                <DataTable
                  columnContentTypes={["text", "text", "text", "text"]}
                  headings={["User", "Name", "Role", "Set by"]}
                  rows={data.members.map((m) => [
                    m.userId,
                    [m.name, m.email].filter(Boolean).join(" · ") || "—",
                    m.accountOwner ? <Badge tone="success">owner</Badge> : m.effective,
                    m.updatedBy ?? "—",
                  ])}
                />
                <Form method="post">
                  <input type="hidden" name="intent" value="assign" />
                  <InlineStack gap="300" blockAlign="end" wrap>
                    <div style={{ width: 180 }}>
                      <TextField label="Shopify user id" name="userId" value={userId} onChange={setUserId} autoComplete="off" disabled={disabled} />
                    </div>
                    <Select
                      label="Role"
                      name="role"
                      value={role}
                      onChange={setRole}
                      options={[...roleOptions, { label: "Shop default", value: "default" }]}
                      disabled={disabled}
                    />
                    <Button submit disabled={disabled}>
                      Assign role
                    </Button>
                  </InlineStack>
                </Form>
              </BlockStack>
            </Card>
            <Card>
              <Form method="post">
                <input type="hidden" name="intent" value="default-role" />
                <InlineStack gap="300" blockAlign="end" wrap>
                  <Select
                    label="Role of staff without one"
                    name="role"
                    value={defaultRole}
                    onChange={setDefaultRole}
                    options={roleOptions}
                    disabled={disabled}
                  />
                  <Button submit disabled={disabled}>
                    Save default
                  </Button>
                </InlineStack>
              </Form>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Audit
              </Text>
              {data.audit.map((a) => (
                <Text key={a.id} as="p" variant="bodySm">
                  {new Date(a.at).toLocaleString()} · {a.actor}: {a.summary}
                </Text>
              ))}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
