import { BlockStack, Checkbox, InlineStack, Select, TextField } from "@shopify/polaris";
import type { DraftForm } from "~/.server/services/sourcing-admin";

const num = (v: string) => (v.trim() === "" ? Number.NaN : Number(v));
const show = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? "" : String(n));

/** Split and backorder policies of a draft; money is typed in the shop's currency. */
export function PolicyFields({ form, onChange, currency }: { form: DraftForm; onChange: (f: DraftForm) => void; currency: string }) {
  const { split, backorder } = form;
  return (
    <BlockStack gap="300">
      <InlineStack gap="400" blockAlign="end" wrap>
        <Checkbox label="Allow splitting an order" checked={split.allow} onChange={(allow) => onChange({ ...form, split: { ...split, allow } })} />
        <div style={{ width: 140 }}>
          <TextField
            label="Max shipments"
            type="number"
            min={1}
            value={show(split.maxShipments)}
            onChange={(v) => onChange({ ...form, split: { ...split, maxShipments: num(v) } })}
            autoComplete="off"
            disabled={!split.allow}
          />
        </div>
        <div style={{ width: 200 }}>
          <TextField
            label="Min value per shipment"
            suffix={currency}
            value={split.minValue}
            onChange={(minValue) => onChange({ ...form, split: { ...split, minValue } })}
            autoComplete="off"
            helpText="when an order has several"
            disabled={!split.allow}
          />
        </div>
      </InlineStack>
      <InlineStack gap="400" blockAlign="end" wrap>
        <Select
          label="Units no location can ship"
          options={[
            { label: "Hold the whole order", value: "hold_order" },
            { label: "Ship what is available, backorder the rest", value: "ship_available" },
            { label: "Wait some days, then ship what is available", value: "wait_days" },
          ]}
          value={backorder.mode}
          onChange={(mode) =>
            onChange({
              ...form,
              backorder: { mode: mode as DraftForm["backorder"]["mode"], ...(mode === "wait_days" ? { waitDays: backorder.waitDays ?? 3 } : {}) },
            })
          }
        />
        {backorder.mode === "wait_days" ? (
          <div style={{ width: 120 }}>
            <TextField
              label="Days"
              type="number"
              min={1}
              value={show(backorder.waitDays)}
              onChange={(v) => onChange({ ...form, backorder: { ...backorder, waitDays: num(v) } })}
              autoComplete="off"
            />
          </div>
        ) : null}
      </InlineStack>
    </BlockStack>
  );
}
