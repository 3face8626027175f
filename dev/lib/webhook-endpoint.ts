// The app's webhook route on a real port, running the same route action as server.ts: what the dev
// shop's webhook dispatcher delivers to in end-to-end tests and benchmarks. The route is imported
// when the server starts, so a caller can set the environment (database, queue prefix) first.
import http from "node:http";
import type { AddressInfo } from "node:net";

export async function serveWebhookRoute(): Promise<{ url: string; close(): Promise<void> }> {
  const { action } = await import("~/routes/webhooks");
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const response = await action({
      request: new Request(`http://localhost${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }),
      params: {},
      context: {},
    });
    res.writeHead(response.status);
    res.end(await response.text());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}
