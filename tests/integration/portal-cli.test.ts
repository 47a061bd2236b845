import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { POST as verifyRoute } from "@/app/api/keys/verify/route";
import { POST as usageRoute } from "@/app/api/usage/route";
import { db } from "@/db/client";
import { auditLog, sessions, usageEvents, users } from "@/db/schema";
import { verifyPassword } from "@/lib/auth/password";
import { cacheKeys } from "@/lib/cache";
import { getBalance, sumLedger } from "@/lib/credits";
import { env } from "@/lib/env";
import { findApiKey, hashApiKey } from "@/lib/keys";
import { createAdmin, createOrganization, grantCreditsCommand } from "@/scripts/portal/accounts";
import { forecastAlerts } from "@/scripts/portal/alerts";
import { disableOrganizationCommand, disableUserCommand, enableOrganizationCommand, enableUserCommand, unlockUserCommand } from "@/scripts/portal/admin";
import { createKey, revokeKey } from "@/scripts/portal/keys";
import { simulateUsage } from "@/scripts/portal/simulate";
import { UsageError } from "@/scripts/script-runner";
import { startUpstashRestServer, type UpstashRestServer } from "../fakes/upstash-rest-server";
import { startRouteServer } from "../helpers/route-server";
import { createOrganizationWithKey } from "../helpers/usage";

const run = promisify(execFile);

// The CLI's writes to Redis go under a prefix of their own (inside this run's, so the run's clean-up removes
// them): a resync of the whole database must not rewrite keys that other test files are watching.
const cliPrefix = `${inject("redisPrefix")}cli-${randomBytes(4).toString("hex")}:`;
const inCliPrefix = (name: string) => cliPrefix + name.slice(env().REDIS_PREFIX.length);

let upstash: UpstashRestServer;
let portalServer: Awaited<ReturnType<typeof startRouteServer>>;
const redis = new Redis("redis://127.0.0.1:6379", { lazyConnect: true, maxRetriesPerRequest: 1 });

beforeAll(async () => {
  upstash = await startUpstashRestServer();
  // The portal that usage:simulate talks to: the real route handlers, served by a plain HTTP server.
  portalServer = await startRouteServer({ "/api/usage": usageRoute, "/api/keys/verify": verifyRoute });
  await redis.connect();
});

afterAll(async () => {
  redis.disconnect();
  await portalServer.close();
  await upstash.close();
});

/** `npm run portal -- …` is `tsx scripts/portal.ts …`; node with tsx's loader skips npm's and npx's start-up. */
async function portal(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/portal.ts", ...args], {
      env: {
        ...process.env,
        NODE_ENV: "test",
        DATABASE_URL: inject("databaseUrl"),
        AUTH_URL: portalServer.url,
        USAGE_SERVICE_TOKENS: env().USAGE_SERVICE_TOKENS[0],
        UPSTASH_REDIS_REST_URL: upstash.url,
        UPSTASH_REDIS_REST_TOKEN: upstash.token,
        REDIS_PREFIX: cliPrefix,
      },
    });
    return { code: 0, stdout, stderr, last: stdout.trim().split("\n").at(-1) ?? "" };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr, last: "" };
  }
}

// The two tests run side by side: each starts a process per command, and most of that time is start-up.
describe.concurrent("npm run portal", () => {
  it("runs every command on the same lib/ code as the app", async ({ expect }) => {
    const stamp = randomBytes(4).toString("hex");
    const bossEmail = `boss-${stamp}@example.test`;
    const inAYear = new Date(Date.now() + 365 * 86_400_000).toISOString();
    const [admin, created] = await Promise.all([
      portal("admin:create", "--email", bossEmail, "--password", "a-long-enough-password"),
      portal("org:create", "--name", `CLI test org ${stamp}`, "--admin-email", `ca-${stamp}@example.test`),
    ]);
    expect(admin.code, admin.stderr).toBe(0);
    const [boss] = await db.select().from(users).where(eq(users.email, bossEmail));
    expect(boss!.role).toBe("business_admin");
    expect(await verifyPassword("a-long-enough-password", boss!.passwordHash!)).toBe(true);
    // Signed-in users work inside an organization: without one, the first admin could not use the portal.
    expect(boss!.organizationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.code, created.stderr).toBe(0);
    const organizationId = created.last;
    expect(organizationId).toMatch(/^[0-9a-f-]{36}$/);

    const [granted, corrected, key] = await Promise.all([
      (async () => {
        const granted = await portal("credits:grant", "--org", organizationId, "--credits", "250", "--reason", "welcome");
        return [granted, await portal("credits:grant", "--org", organizationId, "--credits", "-50", "--reason", "correction")];
      })(),
      portal("keys:create", "--org", organizationId, "--name", "cli", "--scopes", "query", "--rate-limit", "60", "--expires", inAYear),
    ]).then(([grants, created]) => [...grants, created]);
    expect(granted!.last).toBe("250");
    expect(corrected!.last).toBe("200");
    expect(key!.last, key!.stderr).toMatch(/^dz_live_[1-9A-HJ-NP-Za-km-z]{32,}$/);
    const stored = await findApiKey(key!.last);
    expect(stored).toMatchObject({ organizationId, scopes: ["query"], rateLimitPerMinute: 60 });

    // Six reports of 1, 2, 3, 4, 5 and 1 credits through the real verify and usage routes. One at a time: with
    // more, the "final balance" line is the answer that arrived last, not always the lowest.
    const simulated = await portal("usage:simulate", "--key", key!.last, "--requests", "6");
    expect(simulated.code, simulated.stderr).toBe(0);
    expect(simulated.stdout).toMatch(/^verify: 200 .*"valid":true/m);
    expect(simulated.stdout).toContain("statuses: 200×6");
    expect(await getBalance(organizationId)).toBe(184);
    expect(simulated.last).toBe("final balance: 184");
    expect(await db.select().from(usageEvents).where(eq(usageEvents.apiKeyId, stored!.id))).toHaveLength(6);

    const [revoked, listed] = await Promise.all([portal("keys:revoke", "--key", stored!.id), portal("org:list")]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(listed.stdout).toContain(`${organizationId}\tCLI test org ${stamp}\t184`);
    expect((await findApiKey(key!.last))!.revokedAt).not.toBeNull();
    const keyInRedis = inCliPrefix(cacheKeys.apiKey(hashApiKey(key!.last)));
    const balanceInRedis = inCliPrefix(cacheKeys.credits(organizationId));
    // The CLI's own changes reached Redis as the app's do, after commit.
    expect(await redis.hget(keyInRedis, "status")).toBe("revoked");

    // Gone from Redis, then rewritten from Postgres by the resync.
    await redis.del(keyInRedis, balanceInRedis);
    const resync = await portal("redis:resync");
    expect(resync.code, resync.stderr).toBe(0);
    expect(resync.last).toMatch(/^wrote \d+ keys and \d+ balances$/);
    expect(await redis.hgetall(keyInRedis)).toMatchObject({ keyId: stored!.id, organizationId, status: "revoked", scopes: "query" });
    expect(await redis.get(balanceInRedis)).toBe("184");
  });

  it("alerts:forecast runs the forecast alerts and prints their counts on one line", async ({ expect }) => {
    const result = await portal("alerts:forecast");
    expect(result.code, result.stderr).toBe(0);
    expect(result.last).toMatch(/^checked \d+ organizations, alerted \d+, queued \d+ emails$/);
  });

  it("exits 2 with one line on bad input", async ({ expect }) => {
    // Through the real entry point: an unknown command, and a command's bad input on its way to the exit code.
    const started = Promise.all([portal("nope"), portal("keys:revoke")]);
    // The other cases call the command functions themselves, which is where their input is parsed: the
    // entry point's runScript turns the UsageError they throw into `error: <message>` and exit code 2, as
    // the two cases above show. That saves a process start per case.
    const cases: Array<[string, (argv: string[]) => Promise<void>, string[]]> = [
      ["credits:grant", grantCreditsCommand, ["--org", "not-an-id", "--credits", "5", "--reason", "x"]],
      ["credits:grant", grantCreditsCommand, ["--org", "00000000-0000-0000-0000-000000000000", "--credits", "five", "--reason", "x"]],
      ["credits:grant", grantCreditsCommand, ["--org", "00000000-0000-0000-0000-000000000000", "--credits", "5", "--reason", "x"]],
      ["keys:create", createKey, ["--org", "00000000-0000-0000-0000-000000000000", "--name", "x", "--scopes", "admin"]],
      ["keys:create", createKey, ["--org", "00000000-0000-0000-0000-000000000000", "--name", "x", "--expires", "2020-01-01T00:00:00Z"]],
      ["keys:revoke", revokeKey, ["--key", "dz_live_unknown"]],
      ["org:create", createOrganization, ["--name"]],
      ["org:create", createOrganization, ["--name", "x", "--colour", "red"]],
      ["usage:simulate", simulateUsage, ["--key", "k", "--requests", "0"]],
      ["admin:create", createAdmin, ["--email", "not-an-email", "--password", "a-long-enough-password"]],
      ["admin:create", createAdmin, ["--email", "short@example.test", "--password", "short"]],
      ["alerts:forecast", forecastAlerts, ["--dry-run", "yes"]],
    ];
    for (const [name, command, argv] of cases) {
      const label = [name, ...argv].join(" ");
      const error = await command(argv).then(() => undefined, (thrown: unknown) => thrown);
      expect(error, label).toBeInstanceOf(UsageError);
      expect((error as Error).message.split("\n"), label).toHaveLength(1);
    }
    for (const result of await started) {
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(/^error: /);
    }
  });
});

describe("npm run portal: the admin commands", () => {
  it("unlocks, disables and enables a user and an organization, as the console does", async () => {
    const { organization, admin, key } = await createOrganizationWithKey(10);
    await db.update(users).set({ failedLoginAttempts: 5, lockedUntil: new Date(Date.now() + 900_000) }).where(eq(users.id, admin.id));
    await db.insert(sessions).values({ sessionToken: randomBytes(16).toString("hex"), userId: admin.id, expires: new Date(Date.now() + 86_400_000) });
    const keyInRedis = inCliPrefix(cacheKeys.apiKey(hashApiKey(key)));
    const oneLine = (result: Awaited<ReturnType<typeof portal>>) => {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.trim().split("\n")).toHaveLength(1);
      return result.last;
    };

    expect(oneLine(await portal("users:unlock", "--email", admin.email.toUpperCase()))).toBe(`unlocked ${admin.email} (5 failed attempts cleared)`);
    expect((await db.select().from(users).where(eq(users.id, admin.id)))[0]).toMatchObject({ failedLoginAttempts: 0, lockedUntil: null });

    expect(oneLine(await portal("users:disable", "--email", admin.email))).toBe(`disabled ${admin.email}: ended 1 sessions, 1 keys disabled`);
    expect(await db.select().from(sessions).where(eq(sessions.userId, admin.id))).toEqual([]);
    expect(await redis.hget(keyInRedis, "status")).toBe("disabled");
    expect(oneLine(await portal("users:enable", "--email", admin.email))).toBe(`enabled ${admin.email}`);
    expect(await redis.hget(keyInRedis, "status")).toBe("active");

    expect(oneLine(await portal("org:disable", "--org", organization.id))).toBe(`disabled organization ${organization.id} (1 keys re-mirrored)`);
    expect(await redis.hget(keyInRedis, "status")).toBe("disabled");
    expect(oneLine(await portal("org:enable", "--org", organization.id))).toBe(`enabled organization ${organization.id} (1 keys re-mirrored)`);
    expect(await redis.hget(keyInRedis, "status")).toBe("active");
    const actions = await db.select({ action: auditLog.action, userAgent: auditLog.userAgent }).from(auditLog).where(eq(auditLog.targetId, admin.id));
    expect(actions.map((row) => row.action).sort()).toEqual(["user.disabled", "user.enabled", "user.unlocked"]);
    expect(actions.every((row) => row.userAgent === "portal-cli")).toBe(true);
  });

  it("credits:grant writes its audit row with the ledger row; a reason Postgres cannot store changes nothing", async () => {
    const { organization } = await createOrganizationWithKey(10);
    await grantCreditsCommand(["--org", organization.id, "--credits", "-4", "--reason", "duplicate charge"]);
    expect(await getBalance(organization.id)).toBe(6);
    const audited = await db.select().from(auditLog).where(eq(auditLog.targetId, organization.id));
    expect(audited).toEqual([
      expect.objectContaining({
        action: "credits.adjusted",
        organizationId: organization.id,
        actorUserId: null,
        userAgent: "portal-cli",
        metadata: expect.objectContaining({ delta: -4, reason: "duplicate charge", balance: 6 }),
      }),
    ]);

    for (const argv of [
      ["--org", organization.id, "--credits", "5", "--reason", "pilot\u0000"],
      ["--org", organization.id, "--credits", "-7", "--reason", "too much"],
    ]) {
      const error = await grantCreditsCommand(argv).then(() => undefined, (thrown: unknown) => thrown);
      expect(error, argv.join(" ")).toBeInstanceOf(UsageError);
    }
    expect(await getBalance(organization.id)).toBe(6);
    expect(await sumLedger(organization.id)).toBe(6);
    expect(await db.select().from(auditLog).where(eq(auditLog.targetId, organization.id))).toHaveLength(1);
  });

  it("exits 2 with one line on bad input", async () => {
    const started = portal("users:disable", "--email", "nobody-here@example.test");
    const cases: Array<[(argv: string[]) => Promise<void>, string[]]> = [
      [unlockUserCommand, []],
      [unlockUserCommand, ["--email", "not-an-email"]],
      [disableUserCommand, ["--email", "nobody-here@example.test"]],
      [enableUserCommand, ["--email", "a@example.test", "--force", "yes"]],
      [disableOrganizationCommand, ["--org", "not-an-id"]],
      [enableOrganizationCommand, ["--org", "00000000-0000-0000-0000-000000000000"]],
    ];
    for (const [command, argv] of cases) {
      const error = await command(argv).then(() => undefined, (thrown: unknown) => thrown);
      expect(error, argv.join(" ")).toBeInstanceOf(UsageError);
      expect((error as Error).message.split("\n"), argv.join(" ")).toHaveLength(1);
    }
    const result = await started;
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe("error: no user nobody-here@example.test");
  });
});
