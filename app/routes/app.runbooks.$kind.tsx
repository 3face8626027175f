import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, Page } from "@shopify/polaris";
import { runbook } from "~/.server/services/ops/runbooks";
import { authenticate } from "~/shopify.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  const r = await runbook(params.kind ?? "");
  if (!r) throw new Response("No runbook for that kind", { status: 404 });
  return r;
}

export default function RunbookPage() {
  const r = useLoaderData<typeof loader>();
  return (
    <Page
      title={r.title}
      titleMetadata={r.monitor ? <Badge tone="info">monitor</Badge> : undefined}
      backAction={{ url: "/app/runbooks" }}
      secondaryActions={[{ content: "Open items of this kind", url: `/app/exceptions?kind=${r.kind}` }]}
    >
      <Card>
        <BlockStack gap="200">
          {/* Our own markdown from docs/runbooks (reviewed like code), rendered on the server. */}
          <div className="runbook" dangerouslySetInnerHTML={{ __html: r.html }} />
        </BlockStack>
      </Card>
      <style>{`.runbook h2{font-size:15px;font-weight:650;margin:18px 0 6px}.runbook table{border-collapse:collapse;margin-bottom:8px}.runbook td{padding:4px 12px 4px 0;vertical-align:top}.runbook li{margin:3px 0}.runbook p{margin:4px 0}.runbook code{background:#f1f1f1;padding:0 3px;border-radius:3px}`}</style>
    </Page>
  );
}
