import { sql } from "drizzle-orm";
import { db } from "@/db/client";
import { seedDatabase } from "@/db/seed";
import { env } from "@/lib/env";

/**
 * Start-up work for one server process. On the embedded default database this also brings the database up
 * (its migrations run as it opens) and seeds it once, so `npm run dev` needs nothing else.
 */
export async function startServerTasks() {
  if (!env().DATABASE_URL) {
    await db.execute(sql`select 1`);
    await seedDatabase(db);
  }
}
