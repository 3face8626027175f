import { Link, useLocation } from "@remix-run/react";
import { InlineStack } from "@shopify/polaris";

const ITEMS = [
  { to: "/app", label: "Overview" },
  { to: "/app/orders", label: "Orders" },
  { to: "/app/inventory", label: "Inventory" },
  { to: "/app/sourcing", label: "Sourcing" },
  { to: "/app/returns", label: "Returns" },
  { to: "/app/changes", label: "Changes" },
  { to: "/app/promise", label: "Delivery promise" },
  { to: "/app/amazon", label: "Amazon" },
  { to: "/app/deliveries", label: "Webhook deliveries" },
  { to: "/app/order-rules", label: "Order rules" },
  { to: "/app/staff", label: "Staff" },
  { to: "/app/exceptions", label: "Exceptions" },
  { to: "/app/dashboard", label: "Dashboard" },
];

/** In-page navigation; inside Shopify admin the same links also appear in the app's nav menu. */
export function AppNav() {
  const { pathname } = useLocation();
  return (
    <div style={{ padding: "12px 20px 0", maxWidth: 1000, margin: "0 auto" }}>
      <InlineStack gap="400">
        {ITEMS.map((i) => {
          const active = i.to === "/app" ? pathname === "/app" : pathname.startsWith(i.to);
          return (
            <Link key={i.to} to={i.to} style={{ fontWeight: active ? 650 : 450, color: active ? "#303030" : "#616161", textDecoration: "none" }}>
              {i.label}
            </Link>
          );
        })}
      </InlineStack>
    </div>
  );
}
