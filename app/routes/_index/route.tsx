import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

/** Opened from Shopify admin the app gets ?shop=…; send it into the embedded app. */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return null;
}

export default function Landing() {
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "4rem auto", lineHeight: 1.5 }}>
      <h1>Order management for Shopify</h1>
      <p>One record for every order from every channel, inventory you can promise, and sourcing you can explain.</p>
      <p>
        Open the app from your Shopify admin. Service status: <a href="/health">/health</a>.
      </p>
    </main>
  );
}
