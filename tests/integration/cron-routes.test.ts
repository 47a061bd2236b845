import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { GET as forecastRoute } from "@/app/api/cron/forecast/route";
import { GET as outboxRoute } from "@/app/api/cron/outbox/route";
import { db } from "@/db/client";
import { emailOutbox, organizations, users } from "@/db/schema";
import { createApiKey } from "@/lib/keys";
import { EnvError, parseEnv } from "@/lib/env";
import { createTestOrganization } from "../helpers/organizations";

const secret = `cron-${randomUUID()}`;
const envOverrides = vi.hoisted(() => ({ values: {} as Record<string, unknown> }));
vi.mock("@/lib/env", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/env")>();
  return { ...actual, env: () => ({ ...actual.env(), CRON_SECRET: secret, ...envOverrides.values }) };
});

afterEach(() => {
  envOverrides.values = {};
});

const call = async (route: (request: Request) => Promise<Response>, authorization?: string) => {
  const response = await route(new Request("http://portal.test/api/cron/x", { headers: authorization ? { authorization } : {} }));
  return { status: response.status, body: await response.json() };
};

describe("GET /api/cron/forecast and /api/cron/outbox", () => {
  it.each([
    ["no Authorization header", undefined],
    ["a wrong secret", "Bearer not-the-cron-secret-at-all"],
    ["the secret with something after it", `Bearer ${secret}x`],
    ["the secret as Basic credentials", `Basic ${secret}`],
    ["the bare secret", secret],
  ])("answer 401 unauthorized for %s and run nothing", async (_label, authorization) => {
    for (const route of [forecastRoute, outboxRoute]) {
      const answer = await call(route, authorization);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ success: false, error: "unauthorized" });
    }
  });

  it("answer 503 when CRON_SECRET is not configured, whatever is sent", async () => {
    envOverrides.values = { CRON_SECRET: undefined };
    for (const route of [forecastRoute, outboxRoute]) {
      const answer = await call(route, "Bearer undefined");
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ success: false, error: "not_configured" });
    }
  });

  it("run the forecast alerts with the secret and answer their counts", async () => {
    // 100 credits a day for the last week and 150 left: out in about a day and a half at today's clock.
    const organization = await createTestOrganization(150);
    await db.update(organizations).set({ createdAt: new Date("2023-01-01T00:00:00Z") }).where(eq(organizations.id, organization.id));
    const { apiKey } = await createApiKey({ organizationId: organization.id, createdByUserId: null, name: "cron", scopes: ["query"] });
    await db.execute(sql`
      insert into usage_daily (organization_id, day, api_key_id, endpoint, requests, credits)
      select ${organization.id}, (now() at time zone 'UTC')::date - n, ${apiKey.id}, '', 100, 100 from generate_series(0, 6) as n`);
    const admin = `cron-admin-${randomUUID().slice(0, 8)}@example.test`;
    await db.insert(users).values({ email: admin, role: "client_admin", organizationId: organization.id, emailVerified: new Date() });

    const answer = await call(forecastRoute, `bearer ${secret}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ success: true, checked: expect.any(Number), alerted: expect.any(Number), emails: expect.any(Number) });
    expect(answer.body.alerted).toBeGreaterThanOrEqual(1);
    const sent = await db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, admin), eq(emailOutbox.template, "credits-forecast")));
    expect(sent).toHaveLength(1);

    // A second call within 3 days (a retried or doubled schedule) sends nothing more.
    expect((await call(forecastRoute, `Bearer ${secret}`)).status).toBe(200);
    expect(await db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, admin), eq(emailOutbox.template, "credits-forecast")))).toHaveLength(1);
  });

  it("run one outbox pass with the secret and answer its counts", async () => {
    // No SendGrid in this process: the pass reports that it skipped, and the queue stays for a configured one.
    const answer = await call(outboxRoute, `Bearer ${secret}`);
    expect(answer).toEqual({ status: 200, body: { success: true, sent: 0, failed: 0, skipped: true } });
  });
});

describe("CRON_SECRET", () => {
  it("is optional, and refused when shorter than 16 characters", () => {
    expect(parseEnv({}).CRON_SECRET).toBeUndefined();
    expect(parseEnv({ CRON_SECRET: "x".repeat(16) }).CRON_SECRET).toBe("x".repeat(16));
    expect(() => parseEnv({ CRON_SECRET: "short-secret" })).toThrow(EnvError);
    expect(() => parseEnv({ CRON_SECRET: "short-secret" })).toThrow(/CRON_SECRET: must be at least 16 characters/);
  });
});
