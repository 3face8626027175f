import { Form, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Checkbox, Divider, InlineStack, Link, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

type Allowed = { allowed: true; how: string; explanation: string };
type Refused = { allowed: false; reason: string; instead: string; returnInstead: boolean };
type Verdict = Allowed | Refused;

export type ChangesView = {
  stage: string;
  stageLabel: string;
  decisions: Record<"cancel_order" | "cancel_line" | "change_address" | "substitute_line", Verdict>;
  lines: { lineItemId: string; sku: string | null; title: string; currentQuantity: number; open: number; cancel: Verdict }[];
  unsourceable: {
    exceptionId: string;
    summary: string;
    lineItemId: string;
    sku: string | null;
    quantity: number;
    options: { variantId: string; title: string; sku: string | null; price: string | null; available: number | null; source: string }[];
  }[];
  alerts: { kind: string; summary: string }[];
  requests: { id: string; action: string; status: string; actor: string; at: string; message: string }[];
  returnUrl: string;
  formKey: string;
};

export type ChangeResult = { status: string; message: string; instead?: string; returnUrl?: string; replayed?: boolean } | { error: string };

/** Why an action is not available, and what to do instead (with the return, when that is the answer). */
function Why({ v, returnUrl }: { v: Verdict; returnUrl: string }) {
  if (v.allowed)
    return (
      <Text as="p" tone="subdued" variant="bodySm">
        {v.explanation}
      </Text>
    );
  return (
    <Text as="p" tone="subdued" variant="bodySm">
      <span data-testid="refusal">{v.reason}</span> {v.instead}{" "}
      {v.returnInstead ? (
        <Link url={returnUrl} removeUnderline>
          Start a return
        </Link>
      ) : null}
    </Text>
  );
}

function Hidden({ intent, formKey, extra = {} }: { intent: string; formKey: string; extra?: Record<string, string> }) {
  return (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="key" value={`${intent}:${formKey}:${Object.values(extra).join(":")}`} />
      {Object.entries(extra).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
    </>
  );
}

/** The changes the order's stage allows, each explained; the others disabled with the reason. */
export function ChangesCard({ view, result }: { view: ChangesView; result?: ChangeResult }) {
  const nav = useNavigation();
  const busy = (intent: string) => nav.state === "submitting" && nav.formData?.get("intent") === intent;
  const d = view.decisions;
  const [address, setAddress] = useState({ address1: "", city: "", provinceCode: "", zip: "", countryCode: "US" });
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Changes
          </Text>
          <Badge
            tone={view.stage === "closed" ? undefined : view.stage === "routed" || view.stage === "before_routing" ? "success" : "attention"}
          >{`Stage: ${view.stageLabel}`}</Badge>
        </InlineStack>
        {result ? (
          "error" in result ? (
            <Banner tone="critical" title={result.error} />
          ) : (
            <Banner
              tone={result.status === "done" ? "success" : result.status === "waiting" ? "info" : result.status === "refused" ? "warning" : "critical"}
              title={`${result.replayed ? "Already requested: " : ""}${result.message}`}
            >
              {result.instead ? <p>{result.instead}</p> : null}
              {result.returnUrl ? <Link url={result.returnUrl}>Start a return</Link> : null}
            </Banner>
          )
        ) : null}
        {view.alerts.map((a) => (
          <Banner key={a.kind} tone="warning" title={a.summary} />
        ))}

        <Box>
          <Form method="post">
            <Hidden intent="cancel-order" formKey={view.formKey} />
            <InlineStack gap="200" blockAlign="center">
              <Button submit tone="critical" disabled={!d.cancel_order.allowed} loading={busy("cancel-order")}>
                {d.cancel_order.allowed && d.cancel_order.how === "cancellation_request" ? "Request cancellation" : "Cancel order"}
              </Button>
            </InlineStack>
          </Form>
          <Why v={d.cancel_order} returnUrl={view.returnUrl} />
        </Box>
        <Divider />

        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            Cancel units of a line
          </Text>
          {view.lines.map((l) => (
            <LineCancel key={l.lineItemId} line={l} formKey={view.formKey} returnUrl={view.returnUrl} busy={busy("cancel-line")} />
          ))}
        </BlockStack>
        <Divider />

        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            Change the shipping address
          </Text>
          <Form method="post">
            <Hidden intent="change-address" formKey={view.formKey} />
            <BlockStack gap="200">
              <InlineStack gap="200" wrap>
                {(["address1", "city", "provinceCode", "zip", "countryCode"] as const).map((f) => (
                  <div key={f} style={{ width: f === "address1" ? 200 : 110 }}>
                    <TextField
                      label={{ address1: "Address", city: "City", provinceCode: "State", zip: "ZIP", countryCode: "Country" }[f]}
                      name={f}
                      autoComplete="off"
                      value={address[f]}
                      onChange={(v) => setAddress({ ...address, [f]: v })}
                      disabled={view.stage === "closed"}
                    />
                  </div>
                ))}
              </InlineStack>
              <InlineStack>
                {/* Refused after pick: submitting raises the carrier intercept for a person. */}
                <Button submit disabled={view.stage === "closed" || view.stage === "shipped"} loading={busy("change-address")}>
                  {d.change_address.allowed ? "Change address" : "Ask for a carrier intercept"}
                </Button>
              </InlineStack>
            </BlockStack>
          </Form>
          <Why v={d.change_address} returnUrl={view.returnUrl} />
        </BlockStack>

        {view.unsourceable.length ? <Divider /> : null}
        {view.unsourceable.map((u) => (
          <BlockStack key={u.exceptionId} gap="200">
            <Banner tone="critical" title={u.summary} />
            <Form method="post">
              <Hidden intent="substitute" formKey={view.formKey} extra={{ lineItemId: u.lineItemId }} />
              <BlockStack gap="200">
                <Select
                  label="Substitute with"
                  name="variantId"
                  options={u.options.map((o) => ({
                    label: `${o.title}${o.sku ? ` (${o.sku})` : ""} · ${o.price ?? "?"} · ${o.available ?? "?"} available · ${o.source}`,
                    value: o.variantId,
                  }))}
                  disabled={!d.substitute_line.allowed || !u.options.length}
                />
                <input type="hidden" name="quantity" value={String(u.quantity)} />
                <Checkbox label="The customer agreed to the substitute" name="customerAgreed" value="yes" />
                <InlineStack gap="200">
                  <Button submit disabled={!d.substitute_line.allowed || !u.options.length} loading={busy("substitute")}>
                    Substitute
                  </Button>
                </InlineStack>
              </BlockStack>
            </Form>
            <Why v={d.substitute_line} returnUrl={view.returnUrl} />
            <Form method="post">
              <Hidden intent="wait-for-stock" formKey={view.formKey} extra={{ lineItemId: u.lineItemId }} />
              <Button submit variant="plain">
                Wait for stock instead
              </Button>
            </Form>
          </BlockStack>
        ))}

        {view.requests.length ? (
          <>
            <Divider />
            <Text as="h3" variant="headingSm">
              Requests
            </Text>
            {view.requests.map((r) => (
              <Text key={r.id} as="p" variant="bodySm" tone="subdued">
                {`${new Date(r.at).toLocaleString()} · ${r.action.replace("_", " ")} · ${r.status} · ${r.actor}${r.message ? ` · ${r.message}` : ""}`}
              </Text>
            ))}
          </>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function LineCancel({ line: l, formKey, returnUrl, busy }: { line: ChangesView["lines"][number]; formKey: string; returnUrl: string; busy: boolean }) {
  const [quantity, setQuantity] = useState(String(Math.min(1, l.open)));
  return (
    <Box>
      <Form method="post">
        <Hidden intent="cancel-line" formKey={formKey} extra={{ lineItemId: l.lineItemId }} />
        <InlineStack gap="200" blockAlign="center">
          <Text as="span">{`${l.sku ?? l.title}: ${l.open} of ${l.currentQuantity} left to ship`}</Text>
          <div style={{ width: 80 }}>
            <TextField
              label="Units"
              labelHidden
              name="quantity"
              type="number"
              autoComplete="off"
              min={1}
              max={Math.max(1, l.open)}
              value={quantity}
              onChange={setQuantity}
              disabled={!l.cancel.allowed}
            />
          </div>
          <Button submit disabled={!l.cancel.allowed} loading={busy}>
            Cancel units
          </Button>
        </InlineStack>
      </Form>
      <Why v={l.cancel} returnUrl={returnUrl} />
    </Box>
  );
}
