import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { emailOutbox, organizations, users, type NewUser } from "@/db/schema";
import { runForecastAlerts } from "@/lib/alerts/forecast";
import { createApiKey } from "@/lib/keys";
import { createTestOrganization } from "../helpers/organizations";
import { onServerDatabase } from "../helpers/row-lock";

const dayMs = 86_400_000;
const day = (instant: Date, offsetDays = 0) => new Date(instant.getTime() + offsetDays * dayMs).toISOString().slice(0, 10);

// Each test runs at a `now` of its own, in a month no other test file writes rollups for, so the job sees
// this test's organizations alone and its counts are exact.
let months = 0;
function testNow() {
  months += 1;
  return new Date(Date.UTC(2024, months, 15, 12));
}

type History = Array<[offsetDays: number, credits: number]>;

/** An organization holding `balance`, created `createdAt`, with `history` written straight into its rollups. */
async function organizationWith(options: { balance: number; now: Date; history: History; createdAt?: Date; disabled?: boolean }) {
  const organization = await createTestOrganization(options.balance);
  await db
    .update(organizations)
    .set({ createdAt: options.createdAt ?? new Date("2023-01-01T00:00:00Z"), disabledAt: options.disabled ? new Date() : null })
    .where(eq(organizations.id, organization.id));
  const { apiKey } = await createApiKey({ organizationId: organization.id, createdByUserId: null, name: "forecast", scopes: ["query"] });
  for (const [offsetDays, credits] of options.history) {
    await db.execute(sql`
      insert into usage_daily (organization_id, day, api_key_id, endpoint, requests, credits)
      values (${organization.id}, ${day(options.now, offsetDays)}::date, ${apiKey.id}, '/v1/query', ${credits}, ${credits})`);
  }
  return organization;
}

/** `credits` a day from `first` to `last` days away from now (today counting whatever it is given). */
function steady(first: number, last: number, credits: number): History {
  return Array.from({ length: last - first + 1 }, (_, index) => [first + index, credits]);
}

async function addPeople(organizationId: string, people: Array<Partial<NewUser> & { tag: string }>) {
  const rows = people.map(({ tag, ...person }) => ({
    email: `${tag}-${randomUUID().slice(0, 8)}@example.test`,
    role: "client_admin" as const,
    emailVerified: new Date(),
    organizationId,
    ...person,
  }));
  await db.insert(users).values(rows);
  return Object.fromEntries(rows.map((row, index) => [people[index]!.tag, row.email]));
}

async function forecastEmailsTo(addresses: string[]) {
  const rows = await db
    .select({ to: emailOutbox.toAddress, subject: emailOutbox.subject, text: emailOutbox.text })
    .from(emailOutbox)
    .where(and(inArray(emailOutbox.toAddress, addresses), eq(emailOutbox.template, "credits-forecast")));
  return rows;
}

describe("runForecastAlerts", () => {
  it("steady use that runs out in 2 days alerts the admins who want it once, not again within 3 days, and again after", async () => {
    const now = testNow();
    // 100 a day; today, half over, has 50 so far: a 7-day rate of 100 a day, and 200 credits last 2 days.
    const organization = await organizationWith({ balance: 200, now, history: [...steady(-10, -1, 100), [0, 50], ...steady(1, 4, 100)] });
    const people = await addPeople(organization.id, [
      { tag: "admin" },
      { tag: "second-admin" },
      { tag: "member", role: "user" },
      { tag: "opted-out", notifyForecast: false },
      { tag: "unverified", emailVerified: null },
      { tag: "disabled", disabledAt: new Date() },
    ]);
    const everyone = Object.values(people);

    expect(await runForecastAlerts(now)).toEqual({ checked: 1, alerted: 1, emails: 2 });
    const sent = await forecastEmailsTo(everyone);
    expect(sent.map((email) => email.to).sort()).toEqual([people.admin, people["second-admin"]].sort());
    expect(sent[0]!.subject).toMatch(/runs out of credits in about 2 days/);
    expect(sent[0]!.text).toContain(`on ${day(now, 2)} (UTC)`);

    expect(await runForecastAlerts(new Date(now.getTime() + dayMs))).toEqual({ checked: 0, alerted: 0, emails: 0 });
    expect(await runForecastAlerts(new Date(now.getTime() + 3 * dayMs - 60_000))).toMatchObject({ alerted: 0 });
    expect(await forecastEmailsTo(everyone)).toHaveLength(2);

    expect(await runForecastAlerts(new Date(now.getTime() + 3 * dayMs + 60_000))).toEqual({ checked: 1, alerted: 1, emails: 2 });
    expect(await forecastEmailsTo(everyone)).toHaveLength(4);
  });

  it("does not alert slow use, no usage, a spike that still leaves weeks, an empty balance or a disabled organization", async () => {
    const now = testNow();
    const quiet = [
      await organizationWith({ balance: 10_000, now, history: steady(-30, 0, 100) }),
      await organizationWith({ balance: 100, now, history: [] }),
      await organizationWith({ balance: 100, now, history: steady(-40, -8, 500) }),
      // Quiet for a week, then 2,000 today: 2,060 over 6.5 days is about 317 a day, 15 days of 5,000.
      await organizationWith({ balance: 5_000, now, history: [...steady(-6, -1, 10), [0, 2_000]] }),
      await organizationWith({ balance: 0, now, history: steady(-6, 0, 100) }),
      await organizationWith({ balance: 150, now, history: steady(-6, 0, 100), disabled: true }),
    ];
    const admins = [];
    for (const organization of quiet) admins.push(...Object.values(await addPeople(organization.id, [{ tag: "admin" }])));

    expect(await runForecastAlerts(now)).toEqual({ checked: 2, alerted: 0, emails: 0 });
    expect(await forecastEmailsTo(admins)).toEqual([]);
    const marks = await db.select({ at: organizations.forecastAlertedAt }).from(organizations).where(inArray(organizations.id, quiet.map((o) => o.id)));
    expect(marks.every((mark) => mark.at === null)).toBe(true);
  });

  it("alerts a brand-new organization whose first hours burn most of its credits", async () => {
    const now = testNow();
    const organization = await organizationWith({ balance: 1_000, now, history: [[0, 900]], createdAt: new Date(now.getTime() - 2 * 3_600_000) });
    const { admin } = await addPeople(organization.id, [{ tag: "admin" }]);
    expect(await runForecastAlerts(now)).toEqual({ checked: 1, alerted: 1, emails: 1 });
    const [email] = await forecastEmailsTo([admin!]);
    expect(email!.subject).toMatch(/in about 1 day$/);
  });

  it("marks the organization even when no admin wants the email, so it is not re-checked every run", async () => {
    const now = testNow();
    const organization = await organizationWith({ balance: 100, now, history: steady(-6, 0, 100) });
    const people = await addPeople(organization.id, [{ tag: "opted-out", notifyForecast: false }, { tag: "member", role: "user" }]);
    expect(await runForecastAlerts(now)).toEqual({ checked: 1, alerted: 1, emails: 0 });
    expect(await forecastEmailsTo(Object.values(people))).toEqual([]);
    expect(await runForecastAlerts(now)).toEqual({ checked: 0, alerted: 0, emails: 0 });
  });

  it.skipIf(!onServerDatabase)("sends once when runs overlap (server database only: PGlite is one session)", async () => {
    const now = testNow();
    const organizations = [];
    for (let index = 0; index < 5; index += 1) {
      organizations.push(await organizationWith({ balance: 150 + index, now, history: steady(-6, 0, 100) }));
    }
    const admins = [];
    for (const organization of organizations) admins.push(...Object.values(await addPeople(organization.id, [{ tag: "a" }, { tag: "b" }])));

    const reports = await Promise.all(Array.from({ length: 4 }, () => runForecastAlerts(now)));
    expect(reports.reduce((sum, report) => sum + report.alerted, 0)).toBe(5);
    expect(reports.reduce((sum, report) => sum + report.emails, 0)).toBe(10);
    const sent = await forecastEmailsTo(admins);
    expect(sent).toHaveLength(10);
    expect(new Set(sent.map((email) => email.to)).size).toBe(10);
  });
});
