import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { authenticate } from "~/shopify.server";
import { env } from "~/.server/env";
import { AppNav } from "~/components/AppNav";
import { CriticalBanner } from "~/components/ops/CriticalBanner";
import { criticalOpen } from "~/.server/services/ops/queue-views";
import { NavMenu } from "~/components/NavMenu";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const { SHOPIFY_API_KEY, APP_BRIDGE_URL } = env();
  return { apiKey: SHOPIFY_API_KEY, appBridgeUrl: APP_BRIDGE_URL, critical: await criticalOpen(session.shop, new Date()) };
}

export default function AppLayout() {
  const { apiKey, appBridgeUrl, critical } = useLoaderData<typeof loader>();
  return (
    // appBridgeUrl is set only offline (env.ts refuses it in production); undefined keeps Shopify's CDN.
    <AppProvider isEmbeddedApp apiKey={apiKey} __APP_BRIDGE_URL={appBridgeUrl}>
      <NavMenu>
        <Link to="/app" rel="home">
          Overview
        </Link>
        <Link to="/app/orders">Orders</Link>
        <Link to="/app/inventory">Inventory</Link>
        <Link to="/app/sourcing">Sourcing</Link>
        <Link to="/app/returns">Returns</Link>
        <Link to="/app/changes">Changes</Link>
        <Link to="/app/promise">Delivery promise</Link>
        <Link to="/app/amazon">Amazon</Link>
        <Link to="/app/deliveries">Webhook deliveries</Link>
        <Link to="/app/order-rules">Order rules</Link>
        <Link to="/app/staff">Staff</Link>
        <Link to="/app/exceptions">Exceptions</Link>
        <Link to="/app/dashboard">Dashboard</Link>
      </NavMenu>
      <AppNav />
      <CriticalBanner count={critical} />
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch thrown responses so its headers reach the browser.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
