// customer-account.order.action.render: the modal where the customer picks the shipped items and
// quantities to send back and a reason, and asks for the return (one request key per opening, so
// a double tap or a retry after a lost answer requests it once).
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, loadReturnable, newRequestKey, REASONS, requestReturn, t, type Outcome, type Reason, type Returnable } from "./returns";

export default async () => {
  render(<ReturnAction />, document.body);
};

function ReturnAction() {
  const s = api();
  const [data, setData] = useState<Returnable | null | "loading">("loading");
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const [reason, setReason] = useState<Reason>("size_too_small");
  const [note, setNote] = useState("");
  const [requestKey] = useState(newRequestKey);
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | { kind: "empty" } | null>(null);

  useEffect(() => {
    void loadReturnable(s.orderId).then(setData);
  }, [s.orderId]);

  const close = () => s.close?.();
  const submit = async () => {
    const lines = Object.entries(quantities)
      .filter(([, q]) => q > 0)
      .map(([fulfillmentLineItemId, quantity]) => ({ fulfillmentLineItemId, quantity }));
    if (!lines.length) return setOutcome({ kind: "empty" });
    setSending(true);
    setOutcome(await requestReturn({ requestKey, orderId: s.orderId, lines, reason, note: note.trim() || null }));
    setSending(false);
  };
  const done = outcome?.kind === "requested";

  let body;
  if (data === "loading") body = <s-text color="subdued">{t("loading")}</s-text>;
  else if (!data) body = <s-banner tone="critical">{t("unavailable")}</s-banner>;
  else if (!data.lines.length) body = <s-text>{t("nothing")}</s-text>;
  else if (done) body = <s-banner tone="success">{t("requested", { name: outcome.name ?? "" })}</s-banner>;
  else
    body = (
      <s-stack gap="base">
        {data.lines.map((l) => (
          <s-number-field
            key={l.fulfillmentLineItemId}
            label={`${l.title} — ${t("quantity", { count: l.returnable })}`}
            min={0}
            max={l.returnable}
            step={1}
            value={String(quantities[l.fulfillmentLineItemId] ?? 0)}
            onChange={(e: Event) =>
              setQuantities((q) => ({
                ...q,
                [l.fulfillmentLineItemId]: Math.max(0, Math.min(l.returnable, Math.floor(Number((e.currentTarget as HTMLInputElement).value) || 0))),
              }))
            }
          />
        ))}
        <s-select label={t("reason")} value={reason} onChange={(e: Event) => setReason((e.currentTarget as HTMLSelectElement).value as Reason)}>
          {REASONS.map((r) => (
            <s-option key={r} value={r}>
              {t(`reason_${r}`)}
            </s-option>
          ))}
        </s-select>
        <s-text-area label={t("note")} value={note} maxLength={500} onInput={(e: Event) => setNote((e.currentTarget as HTMLTextAreaElement).value)} />
        {outcome?.kind === "empty" && <s-banner tone="warning">{t("chooseOne")}</s-banner>}
        {outcome?.kind === "refused" && <s-banner tone="critical">{t("refused", { message: outcome.message })}</s-banner>}
        {outcome?.kind === "in_progress" && <s-banner tone="info">{t("inProgress")}</s-banner>}
        {outcome?.kind === "unavailable" && <s-banner tone="critical">{t("unavailable")}</s-banner>}
      </s-stack>
    );

  const canSubmit = data !== "loading" && !!data?.lines.length && !done;
  return (
    <s-customer-account-action heading={t("heading")}>
      {body}
      {canSubmit ? (
        <s-button slot="primary-action" variant="primary" loading={sending} disabled={sending} onClick={() => void submit()}>
          {t("submit")}
        </s-button>
      ) : (
        <s-button slot="primary-action" variant="primary" onClick={close}>
          {t("close")}
        </s-button>
      )}
      {canSubmit && (
        <s-button slot="secondary-actions" onClick={close}>
          {t("cancel")}
        </s-button>
      )}
    </s-customer-account-action>
  );
}
