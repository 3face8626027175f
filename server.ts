// The web process: the built Remix app behind Express. Static assets are served with long caching
// (their names carry content hashes); every other request goes to Remix. No request log on the hot
// path — the webhook route is expected to answer hundreds of deliveries a second.
import http from "node:http";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";

const root = path.dirname(new URL(import.meta.url).pathname);
const port = Number(process.env.PORT ?? 3000);

const build = (await import(path.join(root, "build/server/index.js"))) as ServerBuild;

const app = express();
app.disable("x-powered-by");

app.use("/assets", express.static(path.join(root, "build/client/assets"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(root, "build/client"), { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV === "production" ? "production" : "development" }));

// The hot paths, taken before Express and answered without Remix's routing and fetch Request:
// webhook acknowledgements (hundreds a second, Shopify's 5-second timeout; app/.server/services/
// lean-webhook.ts, same outcome as the route's action), and the delivery promise (checkout asks on
// every cart change, Shopify's rate callback on every shipping step) — a cached answer from Redis, a
// miss computed from the process's copies of the data (app/.server/services/promise/lean-promise.ts).
// What a lean path leaves (a shop not seen yet, an unusual token) goes to the route's own action,
// called directly.
type Lean = (r: {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}) => Promise<{ status: number; headers: Record<string, string>; body: string } | null>;
const entry = build.entry.module as unknown as { leanPromise?: Lean; leanRates?: Lean; leanWebhook?: Lean };
const hot = new Map<string, { lean: Lean; action: NonNullable<ServerBuild["routes"][string]["module"]["action"]> }>();
for (const [route, lean, id] of [
  ["/api/promise", entry.leanPromise, "routes/api.promise"],
  ["/carrier/rates", entry.leanRates, "routes/carrier.rates"],
  ["/webhooks", entry.leanWebhook, "routes/webhooks"],
] as const) {
  const action = build.routes[id]?.module.action;
  if (!lean || !action) throw new Error(`the build has no lean path or action for ${route}`);
  hot.set(route, { lean, action });
}

/** The largest body a hot path reads (Shopify's largest webhook bodies are well under it). */
const MAX_BODY = 10 * 1024 * 1024;

async function serveHot(path: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const { lean, action } = hot.get(path)!;
  try {
    const body = await new Promise<Buffer | null>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on("data", (c: Buffer) => {
        size += c.length;
        if (size <= MAX_BODY) chunks.push(c);
      });
      req.on("end", () => resolve(size > MAX_BODY ? null : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
      req.on("error", reject);
    });
    if (!body) {
      res.writeHead(413, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `request body over ${MAX_BODY} bytes` }));
      return;
    }
    const out = await lean({ method: "POST", headers: req.headers, body });
    if (out) {
      res.writeHead(out.status, out.headers);
      res.end(out.body);
      return;
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const request = new Request(`http://localhost${req.url}`, { method: "POST", headers, body: new Uint8Array(body) });
    const response = (await action({ request, params: {}, context: {} })) as Response;
    const outHeaders: Record<string, string> = {};
    response.headers.forEach((value, key) => (outHeaders[key] = value));
    res.writeHead(response.status, outHeaders);
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (e) {
    console.error(`${path} failed`, e);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  }
}

const server = http.createServer((req, res) => {
  const path = req.method === "POST" ? (req.url ?? "").split("?")[0]! : "";
  if (hot.has(path)) void serveHot(path, req, res);
  else app(req, res);
});
server.listen(port, () => console.log(`web: Node ${process.version}, listening on http://localhost:${port}`));
server.keepAliveTimeout = 65_000;

const stop = () => server.close(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
