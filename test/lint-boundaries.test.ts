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
    expect(await lintAs("app/.server/services/leaky.ts", code)).toEqual([
      expect.stringMatching(/no-restricted-imports: .*only in app\/.server\/db/),
    ]);
    expect(await lintAs("app/.server/db/fine.ts", code)).toEqual([]);
  });

  it("accepts pure domain code that takes time as a parameter", async () => {
    const code = "export const later = (now: Date, ms: number) => new Date(now.getTime() + ms);\n";
    expect(await lintAs("app/domain/shared/pure.ts", code)).toEqual([]);
  });
});
