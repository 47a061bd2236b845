import { afterAll, inject } from "vitest";
import { closeDatabase } from "@/db/client";

// Runs in each test worker before its test file: point lib/env at this project's database and Redis keys.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.REDIS_PREFIX = inject("redisPrefix");
if (inject("databaseKind") === "neon") {
  process.env.DATABASE_DRIVER = "neon";
  process.env.NEON_WS_PROXY = inject("neonWsProxy");
}

afterAll(async () => {
  await closeDatabase();
});
