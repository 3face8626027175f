import type { LoaderFunctionArgs } from "@remix-run/node";
import { longWork } from "~/.server/services/ops/progress-views";
import { authenticate } from "~/shopify.server";

/** GET /app/progress: long work in progress for the shop (polled by the progress card). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  return { work: await longWork(session.shop) };
}
