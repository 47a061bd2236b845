import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { apiKeys, usageDaily, users } from "@/db/schema";
import { grantCredits } from "@/lib/credits";
import { createApiKey, revokeApiKey } from "@/lib/keys";
import { getOrganizationActivity, isOrganizationActive, onboardingProgress } from "@/lib/orgs/onboarding";
import { getDailyCreditsByKey, getOrganizationCounts, listRecentUsage } from "@/lib/usage/dashboard";
import { utcDay } from "@/lib/usage/forecast";
import { reportUsage, reportUsageBatch } from "@/lib/usage/report";
import { createTestOrganization } from "../helpers/organizations";
import { createOrganizationWithKey, rollupsAndEventSums } from "../helpers/usage";

const dayMs = 86_400_000;
const now = new Date();
const daysAgo = (days: number, hours = 0) => new Date(now.getTime() - days * dayMs - hours * 3_600_000);
const dayOf = (days: number) => utcDay(daysAgo(days));

async function addKey(organizationId: string, createdByUserId: string, name: string) {
  return createApiKey({ organizationId, createdByUserId, name, scopes: ["query"] });
}

async function report(apiKey: string, credits: number, occurredAt: Date, endpoint?: string) {
  const answer = await reportUsage({ apiKey, requestId: randomUUID(), credits, occurredAt: occurredAt.toISOString(), endpoint });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

async function reportBatch(events: Array<{ apiKey: string; credits: number; occurredAt: Date; endpoint?: string }>) {
  const answer = await reportUsageBatch({
    events: events.map((event) => ({ ...event, requestId: randomUUID(), occurredAt: event.occurredAt.toISOString() })),
  });
  expect((answer.body.results as Array<{ success: boolean }>).every((result) => result.success), JSON.stringify(answer.body)).toBe(true);
}

describe("getDailyCreditsByKey", () => {
  it("charts 30 zero-filled UTC days per key from the rollups, revoked keys by name, other organizations never", async () => {
    const { organization, admin, key: mainKey, apiKey: main } = await createOrganizationWithKey(10_000);
    const { key: secondKey, apiKey: second } = await addKey(organization.id, admin.id, "Second");
    const { key: retiredKey, apiKey: retired } = await addKey(organization.id, admin.id, "Retired");

    await report(mainKey, 5, daysAgo(0), "/v1/query");
    await report(mainKey, 3, daysAgo(0), "/v1/other");
    await report(mainKey, 7, daysAgo(3));
    await report(mainKey, 100, daysAgo(30)); // the day before the window
    await reportBatch([
      { apiKey: secondKey, credits: 11, occurredAt: daysAgo(3), endpoint: "/v1/query" },
      { apiKey: secondKey, credits: 2, occurredAt: daysAgo(29) },
      { apiKey: retiredKey, credits: 4, occurredAt: daysAgo(10) },
    ]);
    await revokeApiKey({ organizationId: organization.id, keyId: retired.id, actorUserId: admin.id });

    // Another organization's usage on the same days must not leak in.
    const other = await createOrganizationWithKey(10_000);
    await report(other.key, 999, daysAgo(0), "/v1/query");
    await report(other.key, 999, daysAgo(3));

    const chart = await getDailyCreditsByKey(organization.id, now);
    expect(chart.days.map((day) => day.day)).toEqual(Array.from({ length: 30 }, (_, i) => dayOf(29 - i)));
    expect(chart.total).toBe(5 + 3 + 7 + 11 + 2 + 4);
    expect(chart.keys).toEqual([
      { id: main.id, name: "test key", revoked: false, credits: 15 },
      { id: second.id, name: "Second", revoked: false, credits: 13 },
      { id: retired.id, name: "Retired", revoked: true, credits: 4 },
    ]);
    const byDay = new Map(chart.days.map((day) => [day.day, day]));
    expect(byDay.get(dayOf(0))).toEqual({ day: dayOf(0), total: 8, byKey: { [main.id]: 8 } });
    expect(byDay.get(dayOf(3))).toEqual({ day: dayOf(3), total: 18, byKey: { [main.id]: 7, [second.id]: 11 } });
    expect(byDay.get(dayOf(10))).toEqual({ day: dayOf(10), total: 4, byKey: { [retired.id]: 4 } });
    expect(byDay.get(dayOf(29))).toEqual({ day: dayOf(29), total: 2, byKey: { [second.id]: 2 } });
    expect(chart.days.filter((day) => day.total === 0)).toHaveLength(26);
    expect(chart.days.filter((day) => day.total === 0).every((day) => Object.keys(day.byKey).length === 0)).toBe(true);

    const { rollups, eventSums } = await rollupsAndEventSums(organization.id);
    expect(rollups).toEqual(eventSums);
  });

  it("reads usage_daily, not usage_events: a rollup row without events is charted", async () => {
    const { organization, apiKey } = await createOrganizationWithKey(0);
    await db.insert(usageDaily).values({ organizationId: organization.id, day: dayOf(5), apiKeyId: apiKey.id, endpoint: "", requests: 2, credits: 42 });
    const chart = await getDailyCreditsByKey(organization.id, now);
    expect(chart.total).toBe(42);
    expect(chart.days.find((day) => day.day === dayOf(5))?.byKey).toEqual({ [apiKey.id]: 42 });
  });

  it("an organization without usage gets 30 days of zeros and no keys", async () => {
    const { organization } = await createOrganizationWithKey(50);
    const chart = await getDailyCreditsByKey(organization.id, now);
    expect(chart.days).toHaveLength(30);
    expect(chart.days.every((day) => day.total === 0)).toBe(true);
    expect(chart).toMatchObject({ keys: [], total: 0 });
  });
});

describe("listRecentUsage", () => {
  it("returns the organization's newest events first, at most the limit, with key names", async () => {
    const { organization, admin, key } = await createOrganizationWithKey(10_000);
    const { key: batchKey } = await addKey(organization.id, admin.id, "Batch worker");
    // Twelve events an hour apart, the newest an hour ago; the credits say which is which.
    for (let hour = 12; hour >= 7; hour--) await report(key, hour, daysAgo(0, hour), `/v1/h${hour}`);
    await reportBatch(Array.from({ length: 6 }, (_, i) => ({ apiKey: batchKey, credits: 6 - i, occurredAt: daysAgo(0, 6 - i) })));
    const other = await createOrganizationWithKey(10_000);
    await report(other.key, 500, daysAgo(0, 0), "/v1/other-org");

    const recent = await listRecentUsage(organization.id, 10);
    expect(recent.map((event) => event.credits)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(recent.map((event) => event.occurredAt.getTime())).toEqual([...recent.map((event) => event.occurredAt.getTime())].sort((a, b) => b - a));
    expect(recent[0]).toMatchObject({ keyName: "Batch worker", endpoint: null });
    expect(recent.at(-1)).toMatchObject({ keyName: "test key", endpoint: "/v1/h10" });
    expect(await listRecentUsage(organization.id, 3)).toHaveLength(3);
  });
});

describe("getOrganizationCounts", () => {
  it("counts working keys (not revoked, not expired) and enabled members of this organization only", async () => {
    const { organization, admin } = await createOrganizationWithKey(0);
    await addKey(organization.id, admin.id, "Second");
    const { apiKey: revoked } = await addKey(organization.id, admin.id, "Revoked");
    const { apiKey: expired } = await addKey(organization.id, admin.id, "Expired");
    await revokeApiKey({ organizationId: organization.id, keyId: revoked.id, actorUserId: admin.id });
    await db.update(apiKeys).set({ expiresAt: new Date(now.getTime() - 60_000) }).where(eq(apiKeys.id, expired.id));
    await db.insert(users).values([
      { email: `member-${randomUUID()}@example.test`, role: "user", organizationId: organization.id },
      { email: `gone-${randomUUID()}@example.test`, role: "user", organizationId: organization.id, disabledAt: new Date() },
    ]);
    await createOrganizationWithKey(0); // another organization's key and admin

    expect(await getOrganizationCounts(organization.id, now)).toEqual({ activeKeys: 2, members: 2 });
  });
});

describe("onboarding progress", () => {
  it("ticks each step from real state: credits ever added, any key, a first usage report", async () => {
    const organization = await createTestOrganization(0);
    const [owner] = await db.insert(users).values({ email: `owner-${randomUUID()}@example.test`, role: "client_admin", organizationId: organization.id }).returning();
    const fresh = await getOrganizationActivity(organization.id);
    expect(fresh).toEqual({ hasCredits: false, hasKey: false, hasUsage: false });
    expect(onboardingProgress(fresh, false)).toEqual({
      steps: { verify_email: false, get_credits: false, create_key: false, first_call: false },
      complete: false,
    });

    await grantCredits({ organizationId: organization.id, credits: 10 });
    const { key } = await addKey(organization.id, owner!.id, "First");
    expect(await getOrganizationActivity(organization.id)).toEqual({ hasCredits: true, hasKey: true, hasUsage: false });
    expect(isOrganizationActive(await getOrganizationActivity(organization.id))).toBe(false);

    // Spending every credit keeps "credits" ticked: the step is about having started, not the balance.
    await report(key, 10, daysAgo(0));
    const active = await getOrganizationActivity(organization.id);
    expect(active).toEqual({ hasCredits: true, hasKey: true, hasUsage: true });
    expect(isOrganizationActive(active)).toBe(true);
    expect(onboardingProgress(active, false).complete).toBe(false);
    expect(onboardingProgress(active, true).complete).toBe(true);
  });
});
