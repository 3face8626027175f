import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, IndexTable, InlineStack, Page, Select, Text, TextField, useIndexResourceState } from "@shopify/polaris";
import { useState } from "react";
import { queuePage } from "~/.server/services/ops/queue-views";
import { replayException } from "~/.server/services/ops/replay-exception";
import { workExceptions } from "~/.server/services/ops/work-exceptions";
import { requireStaffAction } from "~/.server/services/staff/require-staff-action";
import type { QueueWork, QueueWorkError } from "~/domain/ops/queue";
import { queueFiltersSchema, queueWorkSchema } from "~/schemas/ops-forms";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const filters = queueFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return queuePage(session.shop, filters, new Date());
}

const WORK_ERRORS = {
  NOTE_REQUIRED: "Say how it was resolved (a note of at least 3 characters).",
  SNOOZE_IN_PAST: "A snooze must end in the future.",
  SNOOZE_TOO_LONG: "Snooze for at most 30 days.",
  NOTHING_SELECTED: "Select at least one item.",
} satisfies Record<QueueWorkError["code"], string>;

type ActionResult = { ok: boolean; message: string };

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult> {
  const { staff } = await requireStaffAction(request, "exceptions.work");
  const form = queueWorkSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) return { ok: false, message: form.error.issues.map((i) => i.message).join("; ") };
  const now = new Date();
  const f = form.data;
  if (f.intent === "replay") {
    const r = await replayException(staff.shop, f.id, staff.actor, now);
    return r.ok ? { ok: true, message: r.message } : { ok: false, message: r.refusal.explanation };
  }
  const work: QueueWork =
    f.intent === "assign"
      ? { kind: "assign", assignee: f.assignee || null }
      : f.intent === "snooze"
        ? { kind: "snooze", until: new Date(now.getTime() + f.hours * 3_600_000) }
        : { kind: "resolve", note: f.note };
  const r = await workExceptions(staff, f.ids, work, now);
  if (!r.ok) return { ok: false, message: WORK_ERRORS[r.error.code] };
  return { ok: true, message: `${r.value.changed} item${r.value.changed === 1 ? "" : "s"} updated.` };
}

const TONE = { critical: "critical", warning: "warning", info: "info" } as const;
const STATUS_TONE = { open: "attention", snoozed: "info", resolved: "success" } as const;
const label = (k: string) => k.replaceAll("_", " ");

export default function ExceptionQueue() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(data.items);
  const [note, setNote] = useState("");
  const [assignee, setAssignee] = useState("");
  const selected = allResourcesSelected ? data.items.map((i) => i.id) : selectedResources;

  const work = (fields: Record<string, string>) => {
    submit({ ...fields, ids: selected.join(",") }, { method: "post" });
    clearSelection();
  };
  const filter = (name: string, options: { label: string; value: string }[]) => (
    <Select
      label={name[0]!.toUpperCase() + name.slice(1)}
      name={name}
      options={[{ label: "Any", value: "" }, ...options]}
      value={params.get(name) ?? ""}
      onChange={(v) => submit({ ...Object.fromEntries(params), [name]: v }, { method: "get" })}
    />
  );

  return (
    <Page
      title="Exception queue"
      subtitle={`${data.open} open (${data.critical} critical) · manual exception load ${data.loadPer100 ?? "—"} per 100 orders over 30 days (${data.raised30} items, ${data.orders30} orders)`}
      secondaryActions={[
        { content: "Runbooks", url: "/app/runbooks" },
        { content: "Monitors", url: "/app/monitors" },
      ]}
    >
      <BlockStack gap="400">
        {result ? <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner> : null}
        <Card>
          <Form method="get">
            <InlineStack gap="300" wrap>
              {filter(
                "kind",
                data.kinds.map((k) => ({ label: label(k), value: k })),
              )}
              {filter(
                "severity",
                ["critical", "warning", "info"].map((v) => ({ label: v, value: v })),
              )}
              <Select
                label="Status"
                name="status"
                options={[
                  { label: "Open (incl. snooze ended)", value: "" },
                  { label: "Snoozed", value: "snoozed" },
                  { label: "Resolved", value: "resolved" },
                  { label: "All", value: "all" },
                ]}
                value={params.get("status") ?? ""}
                onChange={(v) => submit({ ...Object.fromEntries(params), status: v }, { method: "get" })}
              />
              {filter("assignee", [{ label: "Unassigned", value: "unassigned" }, ...data.assignees.map((a) => ({ label: a, value: a }))])}
              {filter("age", [
                { label: "Under 1 hour", value: "lt1h" },
                { label: "1–24 hours", value: "1to24h" },
                { label: "Over 24 hours", value: "gt24h" },
              ])}
            </InlineStack>
          </Form>
        </Card>
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingSm">
              Work the selected items ({selected.length})
            </Text>
            <InlineStack gap="300" blockAlign="end" wrap>
              <div style={{ minWidth: 200 }}>
                <TextField label="Assignee" value={assignee} onChange={setAssignee} autoComplete="off" placeholder="e.g. sam@shop" />
              </div>
              <Button disabled={!selected.length || busy} onClick={() => work({ intent: "assign", assignee })}>
                Assign
              </Button>
              <Button disabled={!selected.length || busy} onClick={() => work({ intent: "snooze", hours: "4" })}>
                Snooze 4 h
              </Button>
              <Button disabled={!selected.length || busy} onClick={() => work({ intent: "snooze", hours: "24" })}>
                Snooze 1 day
              </Button>
              <div style={{ minWidth: 280 }}>
                <TextField label="Resolution note" value={note} onChange={setNote} autoComplete="off" placeholder="What was done" />
              </div>
              <Button variant="primary" disabled={!selected.length || busy} onClick={() => work({ intent: "resolve", note })}>
                Resolve
              </Button>
            </InlineStack>
          </BlockStack>
        </Card>
        <Card padding="0">
          <IndexTable
            resourceName={{ singular: "item", plural: "items" }}
            itemCount={data.items.length}
            selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
            onSelectionChange={handleSelectionChange}
            emptyState={
              <div style={{ padding: 16 }}>
                <Text as="p">Nothing needs a person right now.</Text>
              </div>
            }
            headings={[
              { title: "Age" },
              { title: "Severity" },
              { title: "Kind" },
              { title: "What" },
              { title: "Assignee" },
              { title: "Status" },
              { title: "Replay" },
            ]}
          >
            {data.items.map((i, n) => (
              <IndexTable.Row id={i.id} key={i.id} position={n} selected={selected.includes(i.id)}>
                <IndexTable.Cell>{i.age}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={TONE[i.severity as keyof typeof TONE]}>{i.severity}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Link to={`/app/runbooks/${i.kind}`} onClick={(e) => e.stopPropagation()}>
                    {label(i.kind)}
                  </Link>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <div style={{ maxWidth: 380, whiteSpace: "normal" }}>
                    <Text as="span" variant="bodySm">
                      {i.summary}
                      {i.occurrences > 1 ? ` (seen ${i.occurrences}×)` : ""}
                      {i.orderId ? (
                        <>
                          {" "}
                          <Link to={`/app/orders/${i.orderId}`} onClick={(e) => e.stopPropagation()}>
                            order
                          </Link>
                        </>
                      ) : null}
                      {i.resolution ? ` — ${i.resolvedBy}: ${i.resolution}` : ""}
                    </Text>
                  </div>
                </IndexTable.Cell>
                <IndexTable.Cell>{i.assignee ?? "—"}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={STATUS_TONE[i.status as keyof typeof STATUS_TONE]}>{i.status}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {i.replay.available ? (
                    <div onClick={(e) => e.stopPropagation()} role="presentation">
                      <Form method="post">
                        <input type="hidden" name="intent" value="replay" />
                        <input type="hidden" name="id" value={i.id} />
                        <Button submit size="slim" disabled={busy || i.status === "resolved"}>
                          {i.replay.label}
                        </Button>
                      </Form>
                    </div>
                  ) : (
                    <Text as="span" variant="bodySm" tone="subdued">
                      {i.replay.code === "NO_REPLAY" ? "Manual (see runbook)" : "Refused: could duplicate"}
                    </Text>
                  )}
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        </Card>
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingSm">
              Recent queue work (audit)
            </Text>
            {data.audit.length === 0 ? (
              <Text as="p" tone="subdued">
                No work recorded yet.
              </Text>
            ) : null}
            {data.audit.map((a) => (
              <Text as="p" variant="bodySm" key={a.at + a.summary}>
                {new Date(a.at).toLocaleString()} · {a.actor} · {a.summary}
              </Text>
            ))}
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
