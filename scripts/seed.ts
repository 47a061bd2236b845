import { db } from "@/db/client";
import { seedDatabase } from "@/db/seed";
import { maxSeedEvents, SeedRefusedError, seedUsage, usageDemoAdminEmail } from "@/db/seed-usage";
import { parseFlags, uuid } from "./portal/args";
import { runScript, UsageError } from "./script-runner";

const count = (value: number) => value.toLocaleString("en-US");

function parseUsageFlags(argv: string[]) {
  const flags = parseFlags(argv, ["usage", "org"]);
  if (flags.usage === undefined) {
    if (flags.org !== undefined) throw new UsageError("--org needs --usage N");
    return undefined;
  }
  const events = Number(flags.usage);
  if (!/^\d+$/.test(flags.usage) || events < 1 || events > maxSeedEvents) {
    throw new UsageError(`--usage must be a whole number from 1 to ${count(maxSeedEvents)}, got ${JSON.stringify(flags.usage)}`);
  }
  return { events, organizationId: flags.org === undefined ? undefined : uuid(flags, "org") };
}

async function seedUsageEvents(request: { events: number; organizationId?: string }) {
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  try {
    const result = await seedUsage(db, {
      ...request,
      onProgress: (written, total) => console.log(`[seed] ${count(written)} / ${count(total)} usage events (${elapsed()})`),
    });
    const origin = result.organizationCreated ? "created" : "existing";
    console.log(`Seeded ${count(result.events)} usage events (${count(result.credits)} credits) over the last 90 days into the ${origin} organization "${result.organizationName}" ${result.organizationId} in ${elapsed()}:`);
    console.log(`  ${result.keyIds.length} API keys (one revoked), ${result.ledgerRows} ledger rows (one grant of ${count(result.granted)}, one usage row per day), balance ${count(result.balance)}.`);
    if (result.admin?.password) console.log(`  Sign in as ${result.admin.email} with the password ${result.admin.password} (shown once).`);
    else if (result.admin) console.log(`  Its client admin: ${result.admin.email}.`);
    else console.log(`  It has no client admin; ${usageDemoAdminEmail} is only created with the "Usage demo" organization.`);
  } catch (error) {
    if (error instanceof SeedRefusedError) throw new UsageError(error.message);
    throw error;
  }
}

await runScript(async () => {
  const usage = parseUsageFlags(process.argv.slice(2));
  // The usage seed's statements run for seconds each: the driver's request-sized read timeout must not end them.
  if (usage) process.env.DATABASE_STATEMENT_TIMEOUT_MS = "0";
  const { organizationId } = await seedDatabase(db);
  console.log(`Seeded credit packages and the demo organization ${organizationId}.`);
  if (usage) await seedUsageEvents(usage);
});
