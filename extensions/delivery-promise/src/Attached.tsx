// The promise the order was placed with, read back from its cart attribute: what the thank-you page
// and the order-status page show, for every plan.
import { arrives, readAttached, t, useSignal, api } from "./promise";

export function AttachedPromise() {
  const attributes = useSignal<{ key: string; value: string }[] | undefined>(api().attributes, undefined);
  const p = readAttached(attributes);
  if (!p) return <s-text color="subdued">{t("noDate")}</s-text>;
  return (
    <s-stack gap="none">
      <s-heading>{t("promisedTitle")}</s-heading>
      <s-text data-promise-id={p.id}>{arrives(p.e, p.l)}</s-text>
    </s-stack>
  );
}
