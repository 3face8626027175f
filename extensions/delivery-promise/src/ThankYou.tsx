// purchase.thank-you.block.render (every plan): the promise the order carries.
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { AttachedPromise } from "./Attached";

export default async () => {
  render(<AttachedPromise />, document.body);
};
