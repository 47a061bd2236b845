import { z } from "zod";

/**
 * The one place that reads process.env. Everything else imports `env()`.
 * Development and tests get safe defaults; production refuses to start without its secrets.
 */

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

const csv = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((value) =>
      (value && value.trim() ? value : fallback)
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean),
    );

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

// Parsed as a URL too: the drivers do (db/client.ts), and a bad port or host there was a stack trace at the
// first query instead of this one line at start.
const databaseUrl = optionalString.refine(
  (value) => value === undefined || (/^postgres(ql)?:\/\/[^/]+/.test(value) && URL.canParse(value)),
  "must be a postgres:// or postgresql:// URL (leave it unset for the embedded database)",
);

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: databaseUrl,
  // Forces the Neon driver for a non-Neon host, with NEON_WS_PROXY as its WebSocket-to-TCP proxy (tests, local Neon setups).
  DATABASE_DRIVER: z.enum(["pg", "neon"]).optional(),
  NEON_WS_PROXY: optionalString,
  EMBEDDED_DB_PORT: positiveInt(54329),
  // The longest one statement may take, and the longest a connection (or a free pool slot) may take to get;
  // past them a service route answers 503 instead of hanging while the database stalls. 0 turns one off.
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(5000),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(0).default(3000),

  AUTH_SECRET: optionalString,
  AUTH_URL: optionalString,
  AUTH_GOOGLE_ID: optionalString,
  AUTH_GOOGLE_SECRET: optionalString,
  AUTH_GITHUB_ID: optionalString,
  AUTH_GITHUB_SECRET: optionalString,
  AUTH_LINKEDIN_ID: optionalString,
  AUTH_LINKEDIN_SECRET: optionalString,
  AUTH_MICROSOFT_ENTRA_ID_ID: optionalString,
  AUTH_MICROSOFT_ENTRA_ID_SECRET: optionalString,
  AUTH_MICROSOFT_ENTRA_ID_ISSUER: optionalString,
  LOCKOUT_MAX_ATTEMPTS: positiveInt(5),
  LOCKOUT_MINUTES: positiveInt(15),
  // bcrypt work factor; production refuses less than 12 (checked in parseEnv).
  BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
  // Sign-in, sign-up and reset requests allowed per IP and per email address in each window.
  AUTH_RATE_LIMIT_PER_IP: positiveInt(30),
  AUTH_RATE_LIMIT_PER_EMAIL: positiveInt(10),
  AUTH_RATE_LIMIT_WINDOW_SECONDS: positiveInt(600),
  // Reverse proxies in front of the portal that append to X-Forwarded-For (SPEC section 6; lib/client-ip.ts).
  TRUSTED_PROXY_COUNT: z.coerce.number().int().min(0).max(20).default(1),
  // Endpoint overrides for OAuth providers (GitHub Enterprise, a regional tenant, or the test stack's local server).
  AUTH_GOOGLE_ISSUER: optionalString,
  AUTH_LINKEDIN_ISSUER: optionalString,
  AUTH_GITHUB_ENTERPRISE_URL: optionalString,

  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  // Where the Stripe SDK sends its calls: its host, port and protocol become the SDK's options (tests use a local server).
  STRIPE_API_BASE: z.string().url().default("https://api.stripe.com"),
  NEXT_PUBLIC_PAYPAL_CLIENT_ID: optionalString,
  PAYPAL_CLIENT_SECRET: optionalString,
  PAYPAL_WEBHOOK_ID: optionalString,
  // A development-only payment provider that completes at once: buy test credits with no Stripe or PayPal.
  // On by default outside production; a production deployment must opt in (end-to-end tests do).
  ENABLE_TEST_PAYMENTS: z.enum(["0", "1"]).optional(),
  PAYPAL_API_BASE: z.string().url().default("https://api-m.sandbox.paypal.com"),

  SENDGRID_API_KEY: optionalString,
  SENDGRID_API_BASE: optionalString,
  EMAIL_FROM: z.string().default("Credit Portal <no-reply@localhost>"),
  // Serves /dev/mailbox under `next start` (the e2e stack); never set it in a real deployment.
  ENABLE_DEV_MAILBOX: z.enum(["0", "1"]).optional(),
  EMAIL_OUTBOX_INTERVAL_SECONDS: positiveInt(30),

  UPSTASH_REDIS_REST_URL: optionalString,
  UPSTASH_REDIS_REST_TOKEN: optionalString,
  REDIS_PREFIX: z.string().default("portal:"),
  USAGE_SERVICE_TOKENS: csv(""),
  SERVICE_RATE_LIMIT_PER_SECOND: positiveInt(2000),
  API_KEY_PREFIX: z
    .string()
    .regex(/^[a-z0-9]+(_[a-z0-9]+)*$/, "must be lowercase letters, digits and underscores")
    .default("dz_live"),
  API_KEY_SCOPES: csv("query,public"),
  // The bearer token of GET /api/cron/* (hosted schedulers); unset turns those routes off.
  CRON_SECRET: optionalString.refine((value) => value === undefined || value.length >= 16, "must be at least 16 characters"),
});

export type Env = z.infer<typeof schema>;

/** Secrets that production must have; development falls back to defaults that are useless elsewhere. */
const productionSecrets = ["AUTH_SECRET", "DATABASE_URL", "USAGE_SERVICE_TOKENS"] as const;

const developmentDefaults = {
  AUTH_SECRET: "development-only-secret-do-not-use-in-production",
  USAGE_SERVICE_TOKENS: ["dev-service-token"],
};

export class EnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnvError";
  }
}

function isMissing(value: unknown) {
  return value === undefined || (Array.isArray(value) && value.length === 0);
}

/** Parses an environment. Exported for tests; the app uses `env()`. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new EnvError(`Invalid environment variable ${issue.path.join(".")}: ${issue.message}`);
  }
  const parsed = result.data;
  // `next build` runs with NODE_ENV=production but without the deployment's secrets.
  const building = source.NEXT_PHASE === "phase-production-build";
  if (parsed.NODE_ENV === "production" && !building) {
    const missing = productionSecrets.filter((name) => isMissing(parsed[name]));
    if (missing.length > 0) {
      throw new EnvError(`Missing required environment variable${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}`);
    }
    if (parsed.BCRYPT_COST < 12) throw new EnvError("Invalid environment variable BCRYPT_COST: must be at least 12 in production");
    return parsed;
  }
  return {
    ...parsed,
    AUTH_SECRET: parsed.AUTH_SECRET ?? developmentDefaults.AUTH_SECRET,
    USAGE_SERVICE_TOKENS: isMissing(parsed.USAGE_SERVICE_TOKENS)
      ? developmentDefaults.USAGE_SERVICE_TOKENS
      : parsed.USAGE_SERVICE_TOKENS,
  };
}

let cached: Env | undefined;

export function testPaymentsEnabled(current: Env = env()) {
  return current.ENABLE_TEST_PAYMENTS ? current.ENABLE_TEST_PAYMENTS === "1" : current.NODE_ENV !== "production";
}

export function stripeConfigured(current: Env = env()) {
  return Boolean(current.STRIPE_SECRET_KEY && current.STRIPE_WEBHOOK_SECRET);
}

export function paypalConfigured(current: Env = env()) {
  return Boolean(current.NEXT_PUBLIC_PAYPAL_CLIENT_ID && current.PAYPAL_CLIENT_SECRET && current.PAYPAL_WEBHOOK_ID);
}

/**
 * The environment as it is right now, not cached: for code that runs before a script has finished setting
 * it (the test and bench set-ups create databases before they know the DATABASE_URL the app will use, and
 * caching then would pin the app to none).
 */
export function currentEnv(): Env {
  return parseEnv(process.env);
}

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
