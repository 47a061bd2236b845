import { sql } from "drizzle-orm";
import { measureDatabaseClock } from "@/db/clock";
import { db } from "@/db/client";
import { seedDatabase } from "@/db/seed";
import { startEmailDeliveryLoop } from "@/lib/email/delivery-loop";
import { env, EnvError } from "@/lib/env";
import { verifyCache } from "@/lib/keys/verify-cache";

function validateEnvironment() {
  try {
    env();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    // One line naming the variable, not a stack trace, and no half-configured instance taking traffic.
    console.error(`error: ${error.message}`);
    process.exit(1);
  }
}

/**
 * Runs once when a server instance starts. On the embedded default database it also brings the database
 * up (migrations run as it opens) and seeds it once, so `npm run dev` needs nothing else.
 */
export async function startServer() {
  validateEnvironment();
  if (!env().DATABASE_URL) {
    await db.execute(sql`select 1`);
    await seedDatabase(db);
  }
  startEmailDeliveryLoop();
  // Listening before the first verify, so that it can already answer from memory (lib/keys/verify-cache.ts).
  verifyCache();
  // So that the first usage reports already carry a deadline on the database's clock (db/clock.ts).
  void measureDatabaseClock();
}
