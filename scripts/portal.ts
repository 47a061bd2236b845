import { createAdmin, createOrganization, grantCreditsCommand, listOrganizations } from "./portal/accounts";
import { forecastAlerts } from "./portal/alerts";
import { disableOrganizationCommand, disableUserCommand, enableOrganizationCommand, enableUserCommand, unlockUserCommand } from "./portal/admin";
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
  "alerts:forecast": forecastAlerts,
  "users:unlock": unlockUserCommand,
  "users:disable": disableUserCommand,
  "users:enable": enableUserCommand,
  "org:disable": disableOrganizationCommand,
  "org:enable": enableOrganizationCommand,
};

const usage = `Usage: npm run portal -- <command> [options]

  admin:create --email E --password P [--name N]      create or promote a business admin
  org:create --name NAME [--admin-email E]            create an organization (prints its id last)
  org:list                                            id, name and balance of every organization
  credits:grant --org ID --credits N --reason TEXT    ledger adjustment, N may be negative (prints the balance last)
  keys:create --org ID --name NAME [--expires ISO] [--scopes a,b] [--rate-limit PER_MINUTE]
                                                      create an API key (prints the key last)
  keys:revoke --key KEY_OR_ID                         revoke a key
  redis:resync                                        rewrite the Redis mirror from Postgres
  usage:simulate --key KEY [--requests N] [--concurrency C]
                                                      act as the data API service against AUTH_URL
  alerts:forecast                                     email the admins of organizations that run out within 3 days
  users:unlock --email E                              clear a user's lockout and failed sign-in attempts
  users:disable --email E                             disable a user: end their sessions, their keys turn disabled
  users:enable --email E                              enable a disabled user again
  org:disable --org ID                                disable an organization: its keys turn disabled
  org:enable --org ID                                 enable a disabled organization again`;

runScript(async () => {
  const [name, ...argv] = process.argv.slice(2);
  if (name === "--help" || name === "-h" || name === "help") {
    console.log(usage);
    return;
  }
  const command = name ? commands[name] : undefined;
  if (!command) throw new UsageError(`${name ? `unknown command ${name}` : "no command"}; one of ${Object.keys(commands).join(", ")}`);
  // The CLI changes credits and keys too: its changes reach the Redis mirror and the alerts like the app's.
  startUsageWorkers({ sweep: false });
  await command(argv);
  await flushMirror();
});
