// The app's webhook route on a real port, answered as server.ts answers it (the lean path,
// app/.server/services/lean-webhook.ts, with the same outcome as the route's action): what the dev
// shop's webhook dispatcher delivers to in end-to-end tests and benchmarks. The module is imported
// when the server starts, so a caller can set the environment (database, queue prefix) first.
import http from "node:http";
import type { AddressInfo } from "node:net";

export async function serveWebhookRoute(): Promise<{ url: string; close(): Promise<void> }> {
  const { leanWebhook } = await import("~/.server/services/lean-webhook");
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const out = await leanWebhook({ method: req.method ?? "GET", headers: req.headers, body: Buffer.concat(chunks) });
    res.writeHead(out.status, out.headers);
    res.end(out.body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}
