/* global document, URLSearchParams, fetch */
// Reads the promise from the app proxy (same origin: /apps/oms/promise) and fills the block.
(function () {
  for (const el of document.querySelectorAll(".oms-delivery-promise")) {
    const q = new URLSearchParams({ variant: el.dataset.variant, country: el.dataset.country || "US", quantity: "1" });
    fetch("/apps/oms/promise?" + q, { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : null))
      .then((p) => {
        if (!p || !p.latest || p.confidence === "none") return;
        const fmt = new Intl.DateTimeFormat(el.dataset.locale || undefined, { weekday: "long", day: "numeric", month: "short", timeZone: "UTC" });
        const day = (d) => fmt.format(new Date(d + "T12:00:00Z"));
        let text = el.dataset.tArrives.replace("__DATE__", p.earliest === p.latest ? day(p.latest) : day(p.earliest) + " – " + day(p.latest));
        if (p.cutoffAt) {
          const m = Math.max(0, Math.floor((Date.parse(p.cutoffAt) - Date.now()) / 60000));
          text = el.dataset.tOrderWithin.replace("__TIME__", m >= 60 ? Math.floor(m / 60) + " h " + (m % 60) + " min" : m + " min") + " — " + text;
        }
        el.querySelector(".oms-delivery-promise__text").textContent = text;
        el.hidden = false;
      })
      .catch(() => undefined);
  }
})();
