import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.dirname(new URL(import.meta.url).pathname);
const ledgerSuites = ["tests/integration/credits-*.test.ts"];
// The production driver's hot path: the ledger, the usage deduction and batch, and verify (named prepared
// statements over the Neon pool), the race tests included.
const neonSuites = [...ledgerSuites, "tests/integration/usage-*.test.ts", "tests/integration/verify.test.ts", "tests/integration/verify-cache.test.ts"];
// Embedded PGlite is a single Postgres session: test files in parallel processes would interleave in it.
const onPglite = (name: string) => name.endsWith("pglite") || !process.env.TEST_DATABASE_URL;
const databaseProject = (name: string, include: string[]) => ({
  extends: true as const,
  test: {
    name,
    include,
    fileParallelism: !onPglite(name),
    globalSetup: ["tests/setup/global-database.ts"],
    setupFiles: ["tests/setup/worker-database.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  resolve: { alias: { "@": root } },
  test: {
    environment: "node",
    pool: "forks",
    // bcrypt's lowest work factor: sign-up, sign-in and lockout tests hash dozens of passwords. lib/env.ts
    // accepts it outside production only; the CLI's child processes inherit it.
    env: { BCRYPT_COST: "4" },
    projects: [
      { extends: true, test: { name: "unit", include: ["lib/**/*.test.ts", "db/**/*.test.ts", "components/**/*.test.ts"] } },
      // The whole integration suite runs on real Postgres when TEST_DATABASE_URL is set, on PGlite otherwise.
      databaseProject("integration", ["tests/integration/**/*.test.ts"]),
      // With a server database, the ledger and usage suites run again through the Neon driver (WebSocket
      // proxy), and the ledger suite on PGlite too.
      ...(process.env.TEST_DATABASE_URL
        ? [databaseProject("neon", neonSuites), databaseProject("ledger-pglite", ledgerSuites)]
        : []),
    ],
  },
});
