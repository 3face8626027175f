import type { PaidShopifyOrder, ShopifyRefund } from "~/domain/ops/monitors";
import type { OrdersForMonitorsQuery } from "~/types/admin.generated";
import type { AdminGraphql } from "./admin";
import { ORDERS_FOR_MONITORS } from "./documents/ops";

const MAX_PAGES = 50;

type Node = OrdersForMonitorsQuery["orders"]["nodes"][number];

async function ordersMatching(graphql: AdminGraphql, query: string): Promise<Node[]> {
  const out: Node[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res: Response = await graphql(ORDERS_FOR_MONITORS, { variables: { first: 50, after, query } });
    const { data } = (await res.json()) as { data?: OrdersForMonitorsQuery };
    if (!data) throw new Error("orders for monitors: empty response");
    out.push(...data.orders.nodes);
    if (!data.orders.pageInfo.hasNextPage) break;
    after = data.orders.pageInfo.endCursor ?? null;
  }
  return out;
}

/** Orders Shopify created in [from, to], with their financial status: what payments were captured. */
export async function shopifyOrdersCreated(graphql: AdminGraphql, from: Date, to: Date): Promise<PaidShopifyOrder[]> {
  const nodes = await ordersMatching(graphql, `created_at:>=${from.toISOString()} created_at:<=${to.toISOString()}`);
  return nodes.map((n) => ({ id: n.id, name: n.name, createdAt: new Date(n.createdAt as string), financialStatus: n.displayFinancialStatus ?? "PENDING" }));
}

/** Refunds Shopify made in [from, to], read from the orders updated since `from`. */
export async function shopifyRefunds(graphql: AdminGraphql, from: Date, to: Date): Promise<ShopifyRefund[]> {
  const nodes = await ordersMatching(graphql, `updated_at:>=${from.toISOString()}`);
  return nodes.flatMap((n) =>
    n.refunds
      .filter((r) => {
        const at = Date.parse((r.createdAt ?? n.createdAt) as string);
        return at >= from.getTime() && at <= to.getTime();
      })
      .map((r) => ({
        id: r.id,
        orderId: n.id,
        orderName: n.name,
        createdAt: new Date((r.createdAt ?? n.createdAt) as string),
        amount: `${r.totalRefundedSet.shopMoney.amount} ${r.totalRefundedSet.shopMoney.currencyCode}`,
      })),
  );
}
