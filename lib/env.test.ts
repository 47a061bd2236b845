import { describe, expect, it } from "vitest";
import { EnvError, parseEnv, testPaymentsEnabled } from "./env";

describe("environment", () => {
  it("gives development safe defaults for everything", () => {
    const parsed = parseEnv({ NODE_ENV: "development" });
    expect(parsed.DATABASE_URL).toBeUndefined();
    expect(parsed.AUTH_SECRET).toBeTruthy();
    expect(parsed.USAGE_SERVICE_TOKENS).toEqual(["dev-service-token"]);
    expect(parsed.API_KEY_PREFIX).toBe("dz_live");
    expect(parsed.API_KEY_SCOPES).toEqual(["query", "public"]);
    expect(parsed.REDIS_PREFIX).toBe("portal:");
    expect(parsed.SERVICE_RATE_LIMIT_PER_SECOND).toBe(2000);
  });

  it("names a malformed DATABASE_URL in one line", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://db/portal" })).toThrow(
      new EnvError(
        "Invalid environment variable DATABASE_URL: must be a postgres:// or postgresql:// URL (leave it unset for the embedded database)",
      ),
    );
  });

  it("refuses to run production without its secrets, naming them", () => {
    expect(() => parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://db/portal" })).toThrow(
      "Missing required environment variables: AUTH_SECRET, USAGE_SERVICE_TOKENS",
    );
  });

  it("lets a production build run without the deployment's secrets", () => {
    expect(() => parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" })).not.toThrow();
  });

  it("splits comma-separated lists and ignores blanks", () => {
    const parsed = parseEnv({ USAGE_SERVICE_TOKENS: " one, two ,,", API_KEY_SCOPES: "query" });
    expect(parsed.USAGE_SERVICE_TOKENS).toEqual(["one", "two"]);
    expect(parsed.API_KEY_SCOPES).toEqual(["query"]);
  });
});

describe("test payments switch", () => {
  it("is on outside production and off in production unless a deployment opts in", () => {
    const production = { NODE_ENV: "production", DATABASE_URL: "postgres://db/p", AUTH_SECRET: "s", USAGE_SERVICE_TOKENS: "t" };
    expect(testPaymentsEnabled(parseEnv({ NODE_ENV: "development" }))).toBe(true);
    expect(testPaymentsEnabled(parseEnv(production))).toBe(false);
    expect(testPaymentsEnabled(parseEnv({ ...production, ENABLE_TEST_PAYMENTS: "1" }))).toBe(true);
  });
});
