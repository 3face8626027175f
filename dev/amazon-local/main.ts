// Runs the SP-API stand-in alone: `node --import tsx dev/amazon-local/main.ts`
// (port AMAZON_STANDIN_PORT, default 4300; AMAZON_STANDIN_SPEED makes its clock run faster).
import { startAmazonStandIn } from "./server";

const port = Number(process.env.AMAZON_STANDIN_PORT ?? 4300);
const standIn = await startAmazonStandIn({ port, host: "127.0.0.1", speed: Number(process.env.AMAZON_STANDIN_SPEED ?? 1) });
console.log(`amazon stand-in on ${standIn.url} (clock ×${standIn.store.clock.speed})`);
const stop = () => void standIn.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
