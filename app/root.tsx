import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";

function Document({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <link rel="preconnect" href="https://cdn.shopify.com/" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return (
    <Document>
      <Outlet />
    </Document>
  );
}

/**
 * Outside the embedded app (an address that matches no route, a public route's thrown response):
 * the status and a line saying what happened, instead of Remix's "Unhandled Thrown Response!"
 * page. Never an error's message or stack: those go to the log. Inside /app, the app route's
 * boundary (Shopify's) answers first.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const [status, line] = isRouteErrorResponse(error)
    ? [error.status, error.status === 404 ? "There is no page at this address." : error.statusText || "The request could not be answered."]
    : [500, "Something went wrong on our side; it has been logged."];
  return (
    <Document>
      <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 560, margin: "80px auto", padding: "0 16px" }}>
        <h1 style={{ fontSize: 20 }}>Order Management: {status}</h1>
        <p>{line}</p>
      </main>
    </Document>
  );
}
