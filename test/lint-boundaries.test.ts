import { readFileSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");
const fixture = (name: string) => readFileSync(path.join(root, "test/fixtures/lint", name), "utf8");

async function lintAs(filePath: string, code: string) {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe("architecture boundaries enforced by lint", () => {
  it("rejects Prisma, Remix, the clock and randomness inside app/domain", async () => {
    const messages = await lintAs("app/domain/shared/violation.ts", fixture("domain-violation.ts"));

    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/no-restricted-imports: .*@prisma\/client.*/),
        expect.stringMatching(/no-restricted-imports: .*@remix-run\/node.*pure core/),
        expect.stringMatching(/no-restricted-syntax: Time is a parameter in the core/),
        expect.stringMatching(/no-restricted-syntax: Randomness is a parameter in the core/),
      ]),
    );
    expect(messages.filter((m) => m.includes("Time is a parameter"))).toHaveLength(2); // Date.now() and new Date()
  });

  it("rejects @prisma/client outside the repositories but allows it inside app/.server/db", async () => {
    const code = 'import { PrismaClient } from "@prisma/client";\nexport const c = PrismaClient;\n';
    expect(await lintAs("app/.server/services/leaky.ts", code)).toEqual([expect.stringMatching(/no-restricted-imports: .*only in app\/.server\/db/)]);
    expect(await lintAs("app/.server/db/fine.ts", code)).toEqual([]);
  });

  it("rejects the Prisma client (db/client) in services, routes, jobs and the rest of the shell, however the path is written", async () => {
    const code = fixture("service-db-violation.ts");
    for (const file of [
      "app/.server/services/changes/leaky.ts",
      "app/routes/app.leaky.tsx",
      "jobs/leaky.ts",
      "app/.server/queue/leaky.ts",
      "app/shopify.server.ts",
    ]) {
      const messages = await lintAs(file, code);
      expect(messages, file).toEqual([
        expect.stringMatching(/no-restricted-imports: '\.\.\/\.\.\/db\/client' import is restricted .*only in app\/.server\/db: call a repository function/),
        expect.stringMatching(/no-restricted-imports: '~\/.server\/db\/client' import is restricted .*only in app\/.server\/db: call a repository function/),
      ]);
    }
    // app/domain gets it too (besides its own rules).
    expect(await lintAs("app/domain/shared/leaky.ts", code)).toEqual(
      expect.arrayContaining([expect.stringMatching(/'~\/.server\/db\/client' import is restricted .*call a repository function/)]),
    );
  });

  it("allows the Prisma client inside the repositories, and repository imports everywhere", async () => {
    expect(
      await lintAs("app/.server/db/fine.ts", 'import { db } from "./client";\nexport const n = (shop: string) => db().order.count({ where: { shop } });\n'),
    ).toEqual([]);
    const service =
      'import { findOrderById } from "../../db/order-queries";\nimport { databaseAnswers } from "~/.server/db/connection";\nexport const f = (shop: string, id: string) => Promise.all([findOrderById(shop, id), databaseAnswers()]);\n';
    expect(await lintAs("app/.server/services/changes/fine.ts", service)).toEqual([]);
    expect(await lintAs("jobs/fine.ts", service)).toEqual([]);
  });

  it("accepts pure domain code that takes time as a parameter", async () => {
    const code = "export const later = (now: Date, ms: number) => new Date(now.getTime() + ms);\n";
    expect(await lintAs("app/domain/shared/pure.ts", code)).toEqual([]);
  });
});
