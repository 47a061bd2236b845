import { db } from "@/db/client";
import { seedDatabase } from "@/db/seed";
import { runScript } from "./script-runner";

await runScript(async () => {
  const { organizationId } = await seedDatabase(db);
  console.log(`Seeded credit packages and the demo organization ${organizationId}.`);
});
