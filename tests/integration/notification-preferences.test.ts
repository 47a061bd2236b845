import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { creditPackages, emailOutbox, users, type NewUser } from "@/db/schema";
import { requestPasswordReset } from "@/lib/auth/password-reset";
import { purchaseWithTestPayment } from "@/lib/payments";
import { createTestOrganization } from "../helpers/organizations";

async function person(organizationId: string, values: Partial<NewUser> = {}) {
  const [user] = await db
    .insert(users)
    .values({ email: `prefs-${randomUUID().slice(0, 8)}@example.test`, organizationId, role: "client_admin", emailVerified: new Date(), ...values })
    .returning();
  return user!;
}

async function emailsTo(address: string, template: string) {
  return (await db.select({ id: emailOutbox.id }).from(emailOutbox).where(and(eq(emailOutbox.toAddress, address), eq(emailOutbox.template, template)))).length;
}

async function buy(organizationId: string, userId: string) {
  const [pack] = await db.insert(creditPackages).values({ name: "Preferences", credits: 100, priceCents: 100 }).returning();
  await purchaseWithTestPayment({ organizationId, packageId: pack!.id, userId, requestId: randomUUID() });
}

describe("notification preferences", () => {
  it("send the receipt to a buyer who wants receipts, and none to a buyer who turned them off (not to the admins instead)", async () => {
    const organization = await createTestOrganization();
    const wants = await person(organization.id);
    const declines = await person(organization.id, { notifyReceipts: false });
    await buy(organization.id, wants.id);
    await buy(organization.id, declines.id);
    expect(await emailsTo(wants.email, "payment-receipt")).toBe(1);
    expect(await emailsTo(declines.email, "payment-receipt")).toBe(0);
  });

  it("send the receipt of a buyer who is gone to the admins who want receipts", async () => {
    const organization = await createTestOrganization();
    const buyer = await person(organization.id, { role: "user" });
    const wants = await person(organization.id);
    const declines = await person(organization.id, { notifyReceipts: false });
    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, buyer.id));
    await buy(organization.id, buyer.id);
    expect(await emailsTo(buyer.email, "payment-receipt")).toBe(0);
    expect(await emailsTo(wants.email, "payment-receipt")).toBe(1);
    expect(await emailsTo(declines.email, "payment-receipt")).toBe(0);
  });

  it("never hold back security email: a reset link reaches a user who turned every notification off", async () => {
    const organization = await createTestOrganization();
    const quiet = await person(organization.id, { notifyLowCredit: false, notifyForecast: false, notifyReceipts: false, passwordHash: "x" });
    await requestPasswordReset(quiet.email, { ipAddress: "198.51.100.20", userAgent: "vitest" });
    const [reset] = await db.select({ template: emailOutbox.template }).from(emailOutbox).where(eq(emailOutbox.toAddress, quiet.email));
    expect(reset?.template).toMatch(/reset/);
  });
});
