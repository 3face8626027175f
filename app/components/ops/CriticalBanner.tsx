import { Link, useLocation } from "@remix-run/react";
import { Banner } from "@shopify/polaris";

/** On every admin page while critical exception items are open (snoozed ones excluded). */
export function CriticalBanner({ count }: { count: number }) {
  const { pathname } = useLocation();
  if (count === 0) return null;
  return (
    <div style={{ padding: "12px 20px 0", maxWidth: 1000, margin: "0 auto" }}>
      <Banner tone="critical" title={`${count} critical exception${count === 1 ? "" : "s"} need${count === 1 ? "s" : ""} a person`}>
        {pathname.startsWith("/app/exceptions") ? (
          "Work them below, oldest first."
        ) : (
          <Link to="/app/exceptions?severity=critical">Open the exception queue</Link>
        )}
      </Banner>
    </div>
  );
}
