// purchase.checkout.shipping-option-list.render-after (Shopify Plus): "Arrives Tue 3 Dec – Thu 5 Dec"
// per delivery option, a line per parcel when the cart ships in several, and an honest fallback when
// the promise has no date or the app cannot be reached. The chosen option's promise is attached to
// the checkout as a cart attribute, so it travels with the order.
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, arrives, ATTRIBUTE_KEY, fetchPromise, t, untilText, useSignal, type PromiseView } from "./promise";

export default async () => {
  render(<Shipping />, document.body);
};

type Line = { quantity: number; merchandise: { id: string }; cost?: { totalAmount?: { amount: number } } };
type Group = { deliveryOptions: { handle: string; title?: string; code?: string }[]; selectedDeliveryOption?: { handle: string } };

function Shipping() {
  const s = api();
  const address = useSignal<{ countryCode?: string; provinceCode?: string; zip?: string } | undefined>(s.shippingAddress, undefined);
  const lines = useSignal<Line[]>(s.lines, []);
  const groups = useSignal<Group[]>(s.deliveryGroups, []);
  const [state, setState] = useState<{ status: "loading" | "done"; promise: PromiseView | null }>({ status: "loading", promise: null });

  const body = address?.countryCode
    ? {
        lines: lines.map((l) => ({
          variantId: l.merchandise.id,
          quantity: l.quantity,
          unitPriceMinor: Math.round(((l.cost?.totalAmount?.amount ?? 0) * 100) / Math.max(1, l.quantity)),
        })),
        address: { countryCode: address.countryCode, provinceCode: address.provinceCode ?? null, zip: address.zip ?? null },
      }
    : null;
  const key = JSON.stringify(body);
  useEffect(() => {
    if (!body) return setState({ status: "done", promise: null });
    const ctl = new AbortController();
    setState((x) => ({ ...x, status: "loading" }));
    const timer = setTimeout(() => fetchPromise(body, ctl.signal).then((promise) => !ctl.signal.aborted && setState({ status: "done", promise })), 250);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [key]);

  const promise = state.promise;
  const options = groups[0]?.deliveryOptions ?? [];
  const methodOf = (o: { title?: string; code?: string }) =>
    promise?.windows.find((w) => [o.code, o.title].some((x) => x && x.toLowerCase().includes(w.method)));
  const selected = options.find((o) => o.handle === groups[0]?.selectedDeliveryOption?.handle);
  const chosen = selected ? methodOf(selected) : promise?.windows[0];

  // The promise the buyer saw travels with the order (or is removed when there is none to keep).
  const attached =
    promise && chosen && promise.confidence !== "none"
      ? JSON.stringify({ id: promise.id, m: chosen.method, e: chosen.earliest, l: chosen.latest, z: promise.zone })
      : null;
  useEffect(() => {
    if (state.status !== "done") return;
    void s
      .applyAttributeChange(attached ? { type: "updateAttribute", key: ATTRIBUTE_KEY, value: attached } : { type: "removeAttribute", key: ATTRIBUTE_KEY })
      .catch(() => undefined);
  }, [attached, state.status]);

  if (state.status === "loading" && !promise) return <s-text color="subdued">{t("loading")}</s-text>;
  if (!promise || promise.confidence === "none" || !promise.windows.length) return <s-banner tone="info">{t("noDate")}</s-banner>;
  const cutoff = promise.parcels[0]?.cutoffAt;
  return (
    <s-stack gap="small-200">
      {(options.length ? options : promise.windows.map((w) => ({ handle: w.method, title: w.name, code: w.method }))).map((o) => {
        const w = methodOf(o);
        return (
          <s-text key={o.handle} data-method={w?.method ?? ""}>
            {o.title}: {w ? arrives(w.earliest, w.latest) : t("noDate")}
          </s-text>
        );
      })}
      {promise.parcels.length > 1 && (
        <s-stack gap="none">
          <s-text color="subdued">{t("twoParcels", { count: promise.parcels.length })}</s-text>
          {promise.parcels.map((p, i) => {
            const w = p.windows.find((x) => x.method === (chosen?.method ?? "standard")) ?? p.windows[0];
            const text = w ? arrives(w.earliest, w.latest) + (p.kind === "restock" ? ` (${t("restock")})` : "") : t("noDate");
            return (
              <s-text key={i} color="subdued" data-parcel={i + 1}>
                {t("parcel", { n: i + 1, text })}
              </s-text>
            );
          })}
        </s-stack>
      )}
      {cutoff && <s-text color="subdued">{t("shipsToday", { time: untilText(cutoff, Date.now()) })}</s-text>}
    </s-stack>
  );
}
