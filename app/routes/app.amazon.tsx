import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  DataTable,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { findAccount } from "~/.server/db/amazon";
import { syncNow } from "~/.server/queue/queues";
import { connectAmazonAccount, saveAmazonRoles, saveAmazonStockSettings, testAmazonConnection } from "~/.server/services/marketplace/amazon-accounts";
import { amazonPageView, syncProgress } from "~/.server/services/marketplace/amazon-views";
import { requireStaffAction } from "~/.server/services/staff/require-staff-action";
import { AMAZON_PII_ROLES, AMAZON_ROLE_LABEL, piiAccess, type AmazonPiiRole } from "~/domain/marketplace/amazon-roles";
import { amazonAccountForm, amazonRolesForm, amazonStockForm } from "~/schemas/amazon";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const job = new URL(request.url).searchParams.get("job");
  if (job) {
    // The progress of a "Sync now" job, for the progress bar (only for this shop's accounts).
    const accountId = /^amz-sync-(.+)-now-\d+$/.exec(job)?.[1];
    const account = accountId ? await findAccount(accountId) : null;
    if (!account || account.shop !== session.shop) return { progress: null, page: null };
    return { progress: await syncProgress(job), page: null };
  }
  return { progress: null, page: await amazonPageView(session.shop, new Date()) };
}

type Result = { form: "connect" | "test" | "sync" | "stock" | "roles"; ok: boolean; message: string; job?: string };

export async function action({ request }: ActionFunctionArgs): Promise<Result> {
  const { staff } = await requireStaffAction(request, "marketplace.connect");
  const fd = await request.formData();
  const raw = Object.fromEntries(fd);
  const now = new Date();
  const ownAccount = async (id: unknown) => {
    const a = typeof id === "string" ? await findAccount(id) : null;
    return a && a.shop === staff.shop ? a : null;
  };
  switch (raw.intent) {
    case "connect": {
      const form = amazonAccountForm.safeParse(raw);
      if (!form.success) return { form: "connect", ok: false, message: form.error.issues.map((i) => i.message).join("; ") };
      await connectAmazonAccount(staff.shop, form.data, staff.actor, now);
      return { form: "connect", ok: true, message: `Seller ${form.data.sellerId} connected; its orders sync every few minutes.` };
    }
    case "test": {
      const a = await ownAccount(raw.accountId);
      if (!a) return { form: "test", ok: false, message: "No such account" };
      const r = await testAmazonConnection(staff.shop, a.id, staff.actor, now);
      return { form: "test", ...r };
    }
    case "sync": {
      const a = await ownAccount(raw.accountId);
      if (!a) return { form: "sync", ok: false, message: "No such account" };
      return { form: "sync", ok: true, message: `Syncing seller ${a.sellerId}…`, job: await syncNow(a.id, now) };
    }
    case "stock": {
      const form = amazonStockForm.safeParse(raw);
      if (!form.success || !(await ownAccount(form.data.accountId)))
        return { form: "stock", ok: false, message: "The buffer must be a whole number of units from 0 to 100,000." };
      await saveAmazonStockSettings(staff.shop, form.data, staff.actor, now);
      return { form: "stock", ok: true, message: `Stock buffer set to ${form.data.stockBuffer}; Amazon's quantities follow within a minute.` };
    }
    case "roles": {
      const form = amazonRolesForm.safeParse({ accountId: raw.accountId, roles: fd.getAll("roles") });
      if (!form.success || !(await ownAccount(form.data.accountId))) return { form: "roles", ok: false, message: "Unknown account or role." };
      if (!(await saveAmazonRoles(staff.shop, form.data, staff.actor, now)))
        return { form: "roles", ok: false, message: "Someone changed the roles meanwhile; reload and try again." };
      return {
        form: "roles",
        ok: true,
        message: `Granted roles recorded: ${form.data.roles.length ? form.data.roles.map((r) => AMAZON_ROLE_LABEL[r]).join(", ") : "none"}. The next sync asks Amazon for what they open.`,
      };
    }
    default:
      return { form: "connect", ok: false, message: "Unknown action" };
  }
}

function BufferField({ value }: { value: number }) {
  const [v, setV] = useState(String(value));
  return <TextField label="Units held back from Amazon per SKU" name="stockBuffer" type="number" autoComplete="off" value={v} onChange={setV} />;
}

/** The restricted roles Amazon granted the app, as recorded (the OMS cannot ask Amazon which). */
function RolesForm({ accountId, granted }: { accountId: string; granted: readonly AmazonPiiRole[] }) {
  const [roles, setRoles] = useState<AmazonPiiRole[]>([...granted]);
  const access = piiAccess(roles);
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="roles" />
      <input type="hidden" name="accountId" value={accountId} />
      {roles.map((r) => (
        <input key={r} type="hidden" name="roles" value={r} />
      ))}
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">
          Restricted roles granted to the app (buyer and address data)
        </Text>
        <InlineStack gap="400" blockAlign="center">
          {AMAZON_PII_ROLES.map((r) => (
            <Checkbox
              key={r}
              label={AMAZON_ROLE_LABEL[r]}
              checked={roles.includes(r)}
              onChange={(on) => setRoles(on ? AMAZON_PII_ROLES.filter((x) => x === r || roles.includes(x)) : roles.filter((x) => x !== r))}
            />
          ))}
          <Button submit>Save roles</Button>
        </InlineStack>
        <Text as="p" tone="subdued">
          Orders show{" "}
          {[access.buyerName ? "buyer name" : null, access.buyerEmail ? "buyer email" : null, access.address ? "shipping address" : null]
            .filter(Boolean)
            .join(", ") || "no buyer or address data"}{" "}
          (Amazon gives them only for orders you fulfil, once Unshipped).
        </Text>
      </BlockStack>
    </Form>
  );
}

function SyncProgress({ job }: { job: string }) {
  const fetcher = useFetcher<typeof loader>();
  useEffect(() => {
    const t = setInterval(() => fetcher.load(`/app/amazon?job=${encodeURIComponent(job)}`), 1000);
    return () => clearInterval(t);
  }, [job]); // fetcher is stable enough for polling; re-subscribing on each render would restart the timer
  const p = fetcher.data?.progress;
  return (
    <BlockStack gap="100">
      <ProgressBar progress={p?.progress ?? 0} size="small" tone={p?.state === "failed" ? "critical" : "primary"} />
      <Text as="span" tone="subdued" variant="bodySm">
        {p ? `${p.state} · ${p.progress}%` : "queued"}
      </Text>
    </BlockStack>
  );
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "—");

export default function Amazon() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const [connect, setConnect] = useState({ sellerId: "", marketplaceIds: "ATVPDKIKX0DER", lwaClientId: "", lwaClientSecret: "", refreshToken: "" });
  const page = data.page;
  if (!page) return null;
  return (
    <Page title="Amazon" subtitle="Seller accounts, order intake, shipment confirmations and stock to Amazon">
      <Layout>
        {result ? (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner>
          </Layout.Section>
        ) : null}
        {page.accounts.map((a) => (
          <Layout.Section key={a.id}>
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      Seller {a.sellerId}
                    </Text>
                    <Badge tone={a.status === "active" ? "success" : "critical"}>{a.status}</Badge>
                    {a.marketplaces.map((m) => (
                      <Badge key={m.id}>{m.label}</Badge>
                    ))}
                  </InlineStack>
                  <InlineStack gap="200">
                    <Form method="post">
                      <input type="hidden" name="intent" value="test" />
                      <input type="hidden" name="accountId" value={a.id} />
                      <Button submit loading={busy}>
                        Test connection
                      </Button>
                    </Form>
                    <Form method="post">
                      <input type="hidden" name="intent" value="sync" />
                      <input type="hidden" name="accountId" value={a.id} />
                      <Button submit variant="primary" loading={busy}>
                        Sync now
                      </Button>
                    </Form>
                  </InlineStack>
                </InlineStack>
                {result?.form === "sync" && result.job?.includes(a.id) ? <SyncProgress job={result.job} /> : null}
                <Text as="p">
                  Last sync {when(a.lastSyncAt)} ({a.lastSyncOrders} orders in the last window) · every change before {when(a.watermark)} is in · lag{" "}
                  {a.lagSeconds === null ? "—" : `${a.lagSeconds} s`}
                  {a.windowOpen ? " · a window is being paged" : ""} · LWA client {a.lwaClientId} (secret and refresh token stored encrypted)
                </Text>
                {a.lastSyncError ? <Banner tone="warning">Last error: {a.lastSyncError}</Banner> : null}
                <DataTable
                  columnContentTypes={["text", "numeric", "numeric", "numeric", "text"]}
                  headings={["Operation", "Rate /s", "Burst", "Calls left", "Next token in"]}
                  rows={a.budget.map((b) => [
                    b.operation,
                    String(b.rate),
                    String(b.burst),
                    b.remaining === null ? "—" : String(b.remaining),
                    b.nextTokenMs === null ? "—" : b.nextTokenMs === 0 ? "full" : `${(b.nextTokenMs / 1000).toFixed(1)} s`,
                  ])}
                />
                <Form method="post">
                  <input type="hidden" name="intent" value="stock" />
                  <input type="hidden" name="accountId" value={a.id} />
                  <input type="hidden" name="locationIds" value={a.locationIds.join(",")} />
                  <InlineStack gap="200" blockAlign="end">
                    <BufferField value={a.stockBuffer} />
                    <Button submit>Save buffer</Button>
                  </InlineStack>
                </Form>
                <RolesForm accountId={a.id} granted={a.grantedRoles} />
                <Text as="p" tone="subdued">
                  Locations that ship Amazon orders:{" "}
                  {a.locationIds.length ? a.locationIds.map((id) => page.locations.find((l) => l.id === id)?.name ?? id).join(", ") : "all"}
                </Text>
              </BlockStack>
            </Card>
          </Layout.Section>
        ))}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Orders and shipments
              </Text>
              <InlineStack gap="200">
                {page.statuses.map((s) => (
                  <Badge key={s.status}>{`${s.status}: ${s.count}`}</Badge>
                ))}
                {Object.entries(page.shipments).map(([k, v]) => (
                  <Badge key={k} tone={k === "failed" ? "critical" : undefined}>{`shipments ${k}: ${v}`}</Badge>
                ))}
                {page.exceptions.map((e) => (
                  <Badge key={e.kind} tone="critical">{`${e.kind}: ${e.count}`}</Badge>
                ))}
              </InlineStack>
              <DataTable
                columnContentTypes={["text", "text", "text", "text", "text"]}
                headings={["Amazon order", "Channel", "Amazon status", "In Shopify", "Last update"]}
                rows={page.recent.map((r) => [r.amazonOrderId, r.channel, r.status, r.shopifyState, when(r.lastUpdatedTime)])}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Stock on Amazon
              </Text>
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "text"]}
                headings={["SKU", "OMS sellable", "Last pushed", "Amazon has", "Drift", "Note"]}
                rows={page.listings.map((l) => [
                  l.sku,
                  l.wanted ?? "—",
                  l.pushed ?? "—",
                  l.amazon ?? "—",
                  l.drift === null ? "—" : l.drift === 0 ? "0" : `${l.drift > 0 ? "+" : ""}${l.drift}`,
                  l.error ?? "",
                ])}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <Form method="post" autoComplete="off">
              <input type="hidden" name="intent" value="connect" />
              <FormLayout>
                <Text as="h2" variant="headingMd">
                  Connect a seller account
                </Text>
                <FormLayout.Group>
                  <TextField
                    label="Seller id"
                    name="sellerId"
                    autoComplete="off"
                    value={connect.sellerId}
                    onChange={(v) => setConnect({ ...connect, sellerId: v })}
                  />
                  <TextField
                    label="Marketplace ids"
                    name="marketplaceIds"
                    autoComplete="off"
                    helpText="Comma-separated, e.g. ATVPDKIKX0DER"
                    value={connect.marketplaceIds}
                    onChange={(v) => setConnect({ ...connect, marketplaceIds: v })}
                  />
                </FormLayout.Group>
                <FormLayout.Group>
                  <TextField
                    label="LWA client id"
                    name="lwaClientId"
                    autoComplete="off"
                    value={connect.lwaClientId}
                    onChange={(v) => setConnect({ ...connect, lwaClientId: v })}
                  />
                  <TextField
                    label="LWA client secret"
                    name="lwaClientSecret"
                    type="password"
                    autoComplete="new-password"
                    value={connect.lwaClientSecret}
                    onChange={(v) => setConnect({ ...connect, lwaClientSecret: v })}
                  />
                </FormLayout.Group>
                <TextField
                  label="Refresh token"
                  name="refreshToken"
                  type="password"
                  autoComplete="new-password"
                  value={connect.refreshToken}
                  onChange={(v) => setConnect({ ...connect, refreshToken: v })}
                />
                <Button submit variant="primary" loading={busy}>
                  Connect
                </Button>
              </FormLayout>
            </Form>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
