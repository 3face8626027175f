// Lint enforces the architecture (../shared/HOUSE-STYLE.md): the pure core imports nothing from
// the outside world and reads no clock or randomness; Prisma lives only in the repositories.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const outsideWorld = [
  {
    group: ["@prisma/*", "prisma", "@remix-run/*", "@shopify/*", "bull", "ioredis", "react", "react-dom"],
    message: "app/domain is the pure core: no frameworks or I/O.",
  },
  { group: ["node:*", "fs", "path", "crypto", "http", "https", "net", "child_process"], message: "app/domain is the pure core: no Node I/O." },
  { group: ["~/.server/*", "~/routes/*", "~/components/*", "**/.server/**", "../../.server/*"], message: "app/domain may not import the shell." },
];

// The Prisma client module, however it is reached ("~/.server/db/client", "../../db/client", "./.server/db/client").
const prismaClient = {
  regex: "(^|/)db/client(\\.[jt]s)?$",
  message: "The Prisma client is used only in app/.server/db: call a repository function (add one there if none fits).",
};

export default tseslint.config(
  { ignores: ["build/**", "node_modules/**", "public/build/**", "app/types/**", ".cache/**", "test/fixtures/**", "extensions/**/dist/**", ".tmp/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["app/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: outsideWorld }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: "Time is a parameter in the core: take `now` as an argument.",
        },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Time is a parameter in the core: take `now` as an argument." },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: "Randomness is a parameter in the core." },
        { selector: "MemberExpression[object.name='process']", message: "The core reads no environment." },
      ],
    },
  },
  {
    files: ["**/*.ts", "**/*.tsx"],
    ignores: ["app/.server/db/**"],
    rules: {
      "no-restricted-imports": ["error", { paths: [{ name: "@prisma/client", message: "Prisma is used only in app/.server/db (the repositories)." }] }],
    },
  },
  {
    // Services, routes, jobs and the rest of the shell reach the database only through repository
    // functions: the Prisma client (db/client) is imported inside app/.server/db alone.
    files: ["app/**/*.ts", "app/**/*.tsx", "jobs/**/*.ts"],
    ignores: ["app/.server/db/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "@prisma/client", message: "Prisma is used only in app/.server/db (the repositories)." }], patterns: [prismaClient] },
      ],
    },
  },
  {
    files: ["app/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [...outsideWorld, prismaClient], paths: [{ name: "@prisma/client", message: "Prisma is used only in app/.server/db." }] },
      ],
    },
  },
);
