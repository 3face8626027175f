// Benchmarks print figures; they assert nothing. `npm run bench -- <name> [args…]`, or all with no name.
const suites: Record<string, () => Promise<{ run: (args: string[]) => Promise<void> }>> = {
  "webhook-intake": () => import("./webhook-intake"),
  "ack-path": () => import("./ack-path"),
  "orders-list": () => import("./orders-list"),
  "sourcing-decisions": () => import("./sourcing-decisions"),
  "inventory-reserve": () => import("./inventory-reserve"),
  "inventory-atp": () => import("./inventory-atp"),
  "inventory-push": () => import("./inventory-push"),
  "sourcing-apply": () => import("./sourcing-apply"),
  "sourcing-rate": () => import("./sourcing-rate"),
  monitors: () => import("./monitors"),
  "cancel-burst": () => import("./cancel-burst"),
  cluster: () => import("./cluster"),
  promise: () => import("./promise"),
  "amazon-day": () => import("./amazon-day"),
};

const [only, ...args] = process.argv.slice(2);
const chosen = only ? [only] : Object.keys(suites);
for (const n of chosen) {
  const load = suites[n];
  if (!load) {
    console.error(`unknown benchmark ${n}; known: ${Object.keys(suites).join(", ")}`);
    process.exit(2);
  }
  await (await load()).run(only ? args : []);
}
process.exit(0);

export {};
