import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

// A production deployment that has not opted in (ENABLE_TEST_PAYMENTS unset), before lib/env is first read.
Object.assign(process.env, {
  NODE_ENV: "production",
  AUTH_SECRET: "production-like-secret",
  USAGE_SERVICE_TOKENS: "production-like-token",
  // vitest.config.ts lowers the bcrypt cost for tests; production refuses less than 12.
  BCRYPT_COST: "12",
});
delete process.env.ENABLE_TEST_PAYMENTS;

const { db } = await import("@/db/client");
const { creditPackages, payments } = await import("@/db/schema");
const { getBalance, sumLedger } = await import("@/lib/credits");
const { testPaymentsEnabled } = await import("@/lib/env");
const { purchaseWithTestPayment } = await import("@/lib/payments");
const { createTestOrganization } = await import("../helpers/organizations");

describe("test payments on a production deployment", () => {
  it("are not offered and are refused with nothing written", async () => {
    expect(testPaymentsEnabled()).toBe(false);
    const organization = await createTestOrganization(25);
    const [pack] = await db.insert(creditPackages).values({ name: "Prod", credits: 100, priceCents: 100 }).returning();
    await expect(
      purchaseWithTestPayment({ organizationId: organization.id, packageId: pack!.id, userId: "nobody", requestId: randomUUID() }),
    ).rejects.toMatchObject({ code: "test_payments_disabled" });
    expect(await db.select().from(payments).where(eq(payments.organizationId, organization.id))).toEqual([]);
    expect(await getBalance(organization.id)).toBe(25);
    expect(await sumLedger(organization.id)).toBe(25);
  });
});
