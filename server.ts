// The web process: the built Remix app behind Express. Static assets are served with long caching
// (their names carry content hashes); every other request goes to Remix. No request log on the hot
// path — the webhook route is expected to answer hundreds of deliveries a second.
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

const server = app.listen(port, () => console.log(`web: Node ${process.version}, listening on http://localhost:${port}`));
server.keepAliveTimeout = 65_000;

const stop = () => server.close(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
