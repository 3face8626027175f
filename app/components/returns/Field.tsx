import { Text } from "@shopify/polaris";

/** A plain, uncontrolled labelled input for forms posted as they are (Polaris's TextField is controlled only). */
export function Field({
  label,
  name,
  type = "text",
  defaultValue,
  placeholder,
  min,
  max,
  width,
}: {
  label: string;
  name: string;
  type?: string;
  defaultValue?: string;
  placeholder?: string;
  min?: number;
  max?: number;
  width?: number;
}) {
  return (
    <label style={{ display: "flex", flexDirection: "column", gap: 4 }}>
      <Text as="span" variant="bodySm">
        {label}
      </Text>
      <input
        name={name}
        type={type}
        defaultValue={defaultValue}
        placeholder={placeholder}
        min={min}
        max={max}
        style={{ padding: "6px 8px", border: "1px solid #8a8a8a", borderRadius: 8, width }}
      />
    </label>
  );
}
