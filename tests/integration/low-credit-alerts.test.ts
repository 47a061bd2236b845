import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { emailOutbox, organizations, users } from "@/db/schema";
import { adjustCredits, deductCredits, grantCredits } from "@/lib/credits";
import { startUsageWorkers } from "@/lib/usage/workers";
import { createTestOrganization } from "../helpers/organizations";

beforeAll(() => {
  startUsageWorkers({ sweep: false });
});

/** An organization with a threshold of 100, two admins, one member and one disabled admin. */
async function createAlertedOrganization(balance: number) {
  const organization = await createTestOrganization(balance);
  const tag = randomUUID().slice(0, 8);
  const people = [
    { email: `admin-a-${tag}@example.test`, role: "client_admin" as const },
    { email: `admin-b-${tag}@example.test`, role: "client_admin" as const },
    { email: `member-${tag}@example.test`, role: "user" as const },
    { email: `gone-${tag}@example.test`, role: "client_admin" as const, disabledAt: new Date() },
  ];
  await db.insert(users).values(people.map((person) => ({ ...person, organizationId: organization.id })));
  return { organization, emails: people.map((person) => person.email) };
}

async function alertsTo(email: string, template: "low-credits" | "zero-credits") {
  const rows = await db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, email), eq(emailOutbox.template, template)));
  return rows.length;
}

describe("low-credit alerts", () => {
  it("email every active admin once when a deduction crosses the threshold, not again below it", async () => {
    const { organization, emails } = await createAlertedOrganization(150);
    const [adminA, adminB, member, disabledAdmin] = emails as [string, string, string, string];
    await deductCredits({ organizationId: organization.id, credits: 50 });
    expect(await alertsTo(adminA, "low-credits")).toBe(0);

    await deductCredits({ organizationId: organization.id, credits: 1 });
    await deductCredits({ organizationId: organization.id, credits: 10 });
    expect(await alertsTo(adminA, "low-credits")).toBe(1);
    expect(await alertsTo(adminB, "low-credits")).toBe(1);
    expect(await alertsTo(member, "low-credits")).toBe(0);
    expect(await alertsTo(disabledAdmin, "low-credits")).toBe(0);
    const [row] = await db.select().from(organizations).where(eq(organizations.id, organization.id));
    expect(row!.lowCreditAlertedAt).not.toBeNull();
  });

  it("re-arm once the balance is back above the threshold, and alert on the next crossing", async () => {
    const { organization, emails } = await createAlertedOrganization(120);
    const admin = emails[0]!;
    await deductCredits({ organizationId: organization.id, credits: 30 });
    await grantCredits({ organizationId: organization.id, credits: 5 });
    await deductCredits({ organizationId: organization.id, credits: 5 });
    expect(await alertsTo(admin, "low-credits")).toBe(1);

    await grantCredits({ organizationId: organization.id, credits: 500, reason: "purchase" });
    await adjustCredits({ organizationId: organization.id, delta: -550, note: "correction" });
    expect(await alertsTo(admin, "low-credits")).toBe(2);
  });

  it("send a separate email when the balance reaches zero", async () => {
    const { organization, emails } = await createAlertedOrganization(40);
    const admin = emails[0]!;
    await deductCredits({ organizationId: organization.id, credits: 40 });
    expect(await alertsTo(admin, "zero-credits")).toBe(1);
    expect(await alertsTo(admin, "low-credits")).toBe(0);
  });
});

describe("low-credit alerts and notification preferences", () => {
  it("skip admins who turned low-credit alerts off, for the low and the zero email alike", async () => {
    const { organization, emails } = await createAlertedOrganization(150);
    const [keeps, optsOut] = emails as [string, string];
    await db.update(users).set({ notifyLowCredit: false }).where(eq(users.email, optsOut));
    await deductCredits({ organizationId: organization.id, credits: 60 });
    await deductCredits({ organizationId: organization.id, credits: 90 });
    expect(await alertsTo(keeps, "low-credits")).toBe(1);
    expect(await alertsTo(keeps, "zero-credits")).toBe(1);
    expect(await alertsTo(optsOut, "low-credits")).toBe(0);
    expect(await alertsTo(optsOut, "zero-credits")).toBe(0);
  });
});
