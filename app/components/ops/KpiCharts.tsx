import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { useEffect, useState, type ReactNode } from "react";

// Shopify's chart library (Polaris Viz). Charts measure their container, so they render in the
// browser only; the server sends the card with its title, export link and a same-size placeholder.

export type Series = { name: string; data: { key: string; value: number | null }[] };

function ClientOnly({ children, height }: { children: () => ReactNode; height: number }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return <div style={{ height }}>{mounted ? children() : null}</div>;
}

export function VizProvider({ children }: { children: ReactNode }) {
  return <PolarisVizProvider themes={{ Light: { chartContainer: { backgroundColor: "#ffffff" } } }}>{children}</PolarisVizProvider>;
}

export function Line({ data, height = 260 }: { data: Series[]; height?: number }) {
  return <ClientOnly height={height}>{() => <LineChart data={data} theme="Light" isAnimated={false} showLegend />}</ClientOnly>;
}

/**
 * A horizontal bar chart's height: a row per category (a carrier and zone each), so that its
 * labels do not overlap however many categories there are; never shorter than the other charts.
 */
function horizontalBarsHeight(categories: number): number {
  return Math.max(260, 90 + categories * 28);
}

export function Bars({ data, height, stacked = false, horizontal = false }: { data: Series[]; height?: number; stacked?: boolean; horizontal?: boolean }) {
  const categories = new Set(data.flatMap((s) => s.data.map((d) => d.key))).size;
  return (
    <ClientOnly height={height ?? (horizontal ? horizontalBarsHeight(categories) : 260)}>
      {() => (
        <BarChart
          data={data}
          theme="Light"
          isAnimated={false}
          type={stacked ? "stacked" : "default"}
          direction={horizontal ? "horizontal" : "vertical"}
          showLegend
        />
      )}
    </ClientOnly>
  );
}
