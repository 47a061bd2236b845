import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditLog, payments, users } from "@/db/schema";
import type { AdminActor } from "@/lib/admin/actor";
import { auditCsvLines, listAuditEntries } from "@/lib/admin/audit";
import { csvCell } from "@/lib/csv";
import { createPackage, updatePackage } from "@/lib/packages";
import { createTestOrganization } from "../helpers/organizations";

async function businessAdmin(): Promise<AdminActor> {
  const [admin] = await db.insert(users).values({ email: `boss-${randomUUID()}@example.test`, role: "business_admin" }).returning();
  return { userId: admin!.id, ipAddress: null, userAgent: "vitest" };
}

const fields = { name: "Test pack", credits: 1000, priceCents: 900, currency: "usd", active: true, sortOrder: 0 };

describe("credit packages", () => {
  it("an edit changes the package and never a payment made with it", async () => {
    const actor = await businessAdmin();
    const pack = await createPackage({ ...fields, name: `Pack ${randomUUID().slice(0, 6)}` }, actor);
    const organization = await createTestOrganization();
    const [payment] = await db
      .insert(payments)
      .values({ organizationId: organization.id, packageId: pack.id, packageName: pack.name, provider: "test", status: "completed", credits: pack.credits, amountCents: pack.priceCents, currency: pack.currency })
      .returning();

    const updated = await updatePackage(pack.id, { ...fields, name: "Renamed", credits: 2000, priceCents: 1500, currency: "EUR", active: false }, actor);
    expect(updated).toMatchObject({ name: "Renamed", credits: 2000, priceCents: 1500, currency: "eur", active: false });
    expect((await db.select().from(payments).where(eq(payments.id, payment!.id)))[0]).toMatchObject({ packageName: pack.name, credits: 1000, amountCents: 900, currency: "usd" });
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.targetId, pack.id)).orderBy(auditLog.id).offset(1);
    expect(audit).toMatchObject({ action: "package.deactivated", actorUserId: actor.userId, metadata: { changes: { priceCents: [900, 1500], active: [true, false] } } });
  });

  it("refuses bad values and changes nothing", async () => {
    const actor = await businessAdmin();
    const pack = await createPackage(fields, actor);
    for (const bad of [{ credits: 0 }, { priceCents: -5 }, { priceCents: 1.5 }, { currency: "dollars" }, { name: "" }, { credits: 2 ** 40 }]) {
      await expect(updatePackage(pack.id, { ...fields, ...bad }, actor), JSON.stringify(bad)).rejects.toMatchObject({ code: "invalid" });
    }
    await expect(updatePackage(randomUUID(), fields, actor)).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("audit log queries", () => {
  it("filters by actor, action prefix, organization and day, and pages by keyset", async () => {
    const actor = await businessAdmin();
    const [actorRow] = await db.select().from(users).where(eq(users.id, actor.userId!));
    const organization = await createTestOrganization();
    const rows = Array.from({ length: 5 }, (_, index) => ({ action: index < 4 ? "test.alpha" : "test.beta", organizationId: organization.id, actorUserId: actor.userId, targetId: String(index) }));
    await db.insert(auditLog).values(rows);
    await db.insert(auditLog).values({ action: "test.alpha", organizationId: organization.id, targetId: "old", createdAt: new Date("2020-06-01T12:00:00Z") });

    const filters = { actor: actorRow!.email.toUpperCase(), action: "test.alpha", organizationId: organization.id };
    const first = await listAuditEntries(filters, { limit: 3 });
    expect(first.rows.map((row) => row.entry.targetId)).toEqual(["3", "2", "1"]);
    const second = await listAuditEntries(filters, { limit: 3, before: first.next });
    expect(second.rows.map((row) => row.entry.targetId)).toEqual(["0"]);
    expect(second.next).toBeUndefined();

    expect((await listAuditEntries({ action: "test.", organizationId: organization.id })).rows).toHaveLength(6);
    const june = await listAuditEntries({ organizationId: organization.id, from: "2020-06-01", to: "2020-06-01" });
    expect(june.rows.map((row) => row.entry.targetId)).toEqual(["old"]);
    expect((await listAuditEntries({ organizationId: organization.id, from: "2020-06-02", to: "2020-06-30" })).rows).toEqual([]);
  });

  it("exports CSV whose formula-looking cells are quoted as text", async () => {
    const organization = await createTestOrganization();
    await db.insert(auditLog).values({ action: "test.csv", organizationId: organization.id, targetId: "=HYPERLINK(\"x\")", userAgent: "+cmd, \"quoted\"" });
    const lines: string[] = [];
    for await (const line of auditCsvLines({ organizationId: organization.id }, 1)) lines.push(line);
    expect(lines[0]).toMatch(/^id,time_utc,action,/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(lines[1]).toContain(`"'+cmd, ""quoted"""`);
    expect(["-1", "@a", "\tx", "\rx"].map(csvCell)).toEqual(["'-1", "'@a", "'\tx", "\"'\rx\""]);
  });
});
