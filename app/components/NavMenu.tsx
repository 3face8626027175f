import type { ReactNode } from "react";

/**
 * App Bridge's navigation menu: App Bridge reads the `ui-nav-menu` element and shows its links in
 * Shopify admin's sidebar. Outside admin it renders nothing visible.
 */
export function NavMenu({ children }: { children: ReactNode }) {
  return <ui-nav-menu style={{ display: "none" }}>{children}</ui-nav-menu>;
}

declare module "react" {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      "ui-nav-menu": { children?: ReactNode; style?: { display: string } };
    }
  }
}
