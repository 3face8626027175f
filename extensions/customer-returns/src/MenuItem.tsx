// customer-account.order.action.menu-item.render: the "Request a return" item in the order's action
// menu; choosing it opens customer-account.order.action.render (ReturnAction.tsx).
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { t } from "./returns";

export default async () => {
  render(<s-button>{t("menuItem")}</s-button>, document.body);
};
