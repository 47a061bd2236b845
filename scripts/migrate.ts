import { db } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { env } from "@/lib/env";
import { runScript } from "./script-runner";

await runScript(async () => {
  env();
  await migrateDatabase(db);
  console.log("Migrations applied.");
});
