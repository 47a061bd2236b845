import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { closeDatabase, createDatabase } from "@/db/client";
import { seedDatabase } from "@/db/seed";
import {
  createPgliteTestDatabase,
  createPostgresTestDatabase,
  testDatabaseServerUrl,
} from "../setup/test-database";
import { startGitHubProvider, startOidcProvider } from "../fakes/oauth-provider";
import { startPayPalFake } from "../fakes/paypal";
import { startSendGridFake } from "../fakes/sendgrid";
import { startStripeFake } from "../fakes/stripe";
import { startUpstashRestServer } from "../fakes/upstash-rest-server";
import { deleteRedisKeys, testRedisPrefix } from "../setup/redis-keys";
import { e2eEnvFile, type StackEnv } from "./support/stack-env";

/**
 * Playwright's web server: a fresh seeded database (real Postgres when TEST_DATABASE_URL is set, PGlite
 * otherwise), the local fakes of external services, then the built app under `next start`. The environment
 * it used is written to test-results/e2e-env.json so the specs can reach the same database.
 */

const port = Number(process.env.E2E_PORT ?? 3100);
const cleanups: Array<() => Promise<unknown>> = [];

async function main() {
  const serverUrl = testDatabaseServerUrl();
  const database = serverUrl ? await createPostgresTestDatabase(serverUrl, "e2e") : await createPgliteTestDatabase();
  cleanups.push(database.dispose);

  // The seed's credit grant goes through lib/credits, which uses the global `db` and so reads DATABASE_URL.
  process.env.DATABASE_URL = database.url;
  const seeding = createDatabase(database.url, "pg");
  await seedDatabase(seeding.db);
  await seeding.close();

  // Accounts: a SendGrid-shaped mail API and OAuth providers, all local.
  const sendGridKey = "SG.e2e-key";
  const sendGrid = await startSendGridFake(sendGridKey);
  const oidc = await startOidcProvider();
  const github = await startGitHubProvider();
  cleanups.push(sendGrid.close, oidc.stop, github.stop);
  const accountsEnv: StackEnv = {
    SENDGRID_API_KEY: sendGridKey,
    SENDGRID_API_BASE: sendGrid.url,
    E2E_SENDGRID_URL: sendGrid.url,
    ENABLE_DEV_MAILBOX: "1",
    EMAIL_OUTBOX_INTERVAL_SECONDS: "2",
    AUTH_RATE_LIMIT_PER_IP: "1000",
    AUTH_GOOGLE_ID: "e2e-google",
    AUTH_GOOGLE_SECRET: "e2e-google-secret",
    AUTH_GOOGLE_ISSUER: oidc.url,
    AUTH_MICROSOFT_ENTRA_ID_ID: "e2e-entra",
    AUTH_MICROSOFT_ENTRA_ID_SECRET: "e2e-entra-secret",
    AUTH_MICROSOFT_ENTRA_ID_ISSUER: oidc.url,
    AUTH_GITHUB_ID: "e2e-github",
    AUTH_GITHUB_SECRET: "e2e-github-secret",
    AUTH_GITHUB_ENTERPRISE_URL: github.url,
    E2E_OIDC_URL: oidc.url,
    E2E_GITHUB_URL: github.url,
  };

  // Upstash's REST protocol over the local redis-server, under a prefix of this run's own.
  const upstash = await startUpstashRestServer();
  cleanups.push(upstash.close);
  const redisPrefix = testRedisPrefix("e2e");
  cleanups.push(() => deleteRedisKeys(redisPrefix));

  // Payments: Stripe and PayPal APIs played by local servers that their real SDK and fetch calls reach.
  const stripeWebhookSecret = "whsec_e2e_secret";
  const stripe = await startStripeFake({ webhookSecret: stripeWebhookSecret, webhookUrl: `http://localhost:${port}/api/webhooks/stripe` });
  const paypalCredentials = { clientId: "e2e-paypal-client", clientSecret: "e2e-paypal-secret", webhookId: "WH-E2E" };
  const paypal = await startPayPalFake(paypalCredentials);
  cleanups.push(stripe.close, paypal.close);
  const paymentsEnv: StackEnv = {
    STRIPE_SECRET_KEY: "sk_test_e2e",
    STRIPE_WEBHOOK_SECRET: stripeWebhookSecret,
    STRIPE_API_BASE: stripe.url,
    NEXT_PUBLIC_PAYPAL_CLIENT_ID: paypalCredentials.clientId,
    PAYPAL_CLIENT_SECRET: paypalCredentials.clientSecret,
    PAYPAL_WEBHOOK_ID: paypalCredentials.webhookId,
    PAYPAL_API_BASE: paypal.url,
  };

  const stackEnv: StackEnv = {
    ...accountsEnv,
    ...paymentsEnv,
    NODE_ENV: "production",
    DATABASE_URL: database.url,
    AUTH_SECRET: "e2e-secret-that-is-long-enough-for-auth-js",
    AUTH_URL: `http://localhost:${port}`,
    AUTH_TRUST_HOST: "true",
    USAGE_SERVICE_TOKENS: "e2e-service-token,e2e-second-token",
    ENABLE_TEST_PAYMENTS: "1",
    UPSTASH_REDIS_REST_URL: upstash.url,
    UPSTASH_REDIS_REST_TOKEN: upstash.token,
    REDIS_PREFIX: redisPrefix,
  };
  mkdirSync(path.dirname(e2eEnvFile), { recursive: true });
  writeFileSync(e2eEnvFile, JSON.stringify(stackEnv, null, 2));

  const app = spawn(path.join("node_modules", ".bin", "next"), ["start", "-p", String(port)], {
    env: { ...process.env, ...stackEnv },
    stdio: "inherit",
  });
  cleanups.unshift(async () => {
    if (app.exitCode === null) {
      app.kill("SIGTERM");
      await new Promise((resolve) => app.once("exit", resolve));
    }
  });
  app.once("exit", (code) => void shutdown(code ?? 1));
}

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  for (const cleanup of cleanups) await cleanup().catch((error) => console.error("[stack] cleanup failed:", error));
  await closeDatabase().catch(() => undefined);
  process.exit(code);
}

process.on("SIGTERM", () => void shutdown(0));
process.on("SIGINT", () => void shutdown(0));

main().catch(async (error) => {
  console.error("[stack] failed to start:", error);
  await shutdown(1);
});
