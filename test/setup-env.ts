// Runs in every test worker before the test file; global-setup.ts has already chosen the database
// (a per-run SQLite file, or with `npm run test:pg` a per-run PostgreSQL schema) and Redis prefix.
if (!/oms-test-|schema=oms_test_/.test(process.env.DATABASE_URL ?? "")) {
  throw new Error("test database not prepared: run the tests with `npm test` (or `npm run test:pg`)");
}
