import path from "node:path";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { Database } from "./client";

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

/** Applies the committed drizzle-kit migrations; works for every driver since they share the Postgres dialect. */
export async function migrateDatabase(database: Database) {
  await migrate(database as unknown as NodePgDatabase, { migrationsFolder });
}
