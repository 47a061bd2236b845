import { createAdmin, createOrganization, grantCreditsCommand, listOrganizations } from "./portal/accounts";
import { createKey, resyncRedis, revokeKey } from "./portal/keys";
import { simulateUsage } from "./portal/simulate";
import { runScript, UsageError } from "./script-runner";
import { startUsageWorkers } from "@/lib/usage/workers";
import { flushMirror } from "@/lib/cache";

/** `npm run portal -- <command>`: SPEC section 5, on the same lib/ functions as the app. */
const commands: Record<string, (argv: string[]) => Promise<void>> = {
  "admin:create": createAdmin,
  "org:create": createOrganization,
  "org:list": listOrganizations,
  "credits:grant": grantCreditsCommand,
  "keys:create": createKey,
  "keys:revoke": revokeKey,
  "redis:resync": resyncRedis,
  "usage:simulate": simulateUsage,
};

runScript(async () => {
  const [name, ...argv] = process.argv.slice(2);
  const command = name ? commands[name] : undefined;
  if (!command) throw new UsageError(`${name ? `unknown command ${name}` : "no command"}; one of ${Object.keys(commands).join(", ")}`);
  // The CLI changes credits and keys too: its changes reach the Redis mirror and the alerts like the app's.
  startUsageWorkers({ sweep: false });
  await command(argv);
  await flushMirror();
});
