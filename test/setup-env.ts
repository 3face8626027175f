// Runs in every test worker before the test file; global-setup.ts has already chosen the database
// file and Redis prefix for this run.
if (!process.env.DATABASE_URL?.includes("oms-test-")) {
  throw new Error("test database not prepared: run the tests with `npm test`");
}
