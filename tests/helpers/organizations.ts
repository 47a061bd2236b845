import { randomUUID } from "node:crypto";
import { db } from "@/db/client";
import { organizations } from "@/db/schema";
import { grantCredits } from "@/lib/credits";

/** A new organization for one test, holding `balance` credits granted through the ledger. */
export async function createTestOrganization(balance = 0, name = `Test org ${randomUUID().slice(0, 8)}`) {
  const [organization] = await db.insert(organizations).values({ name }).returning();
  if (balance > 0) await grantCredits({ organizationId: organization!.id, credits: balance, reference: "test:opening" });
  return organization!;
}
