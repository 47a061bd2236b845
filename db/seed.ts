import { eq } from "drizzle-orm";
import type { Database } from "./client";
import { creditPackages, organizations } from "./schema";
import { grantCredits } from "@/lib/credits";

export const defaultCreditPackages = [
  { name: "Starter", credits: 1_000, priceCents: 1_000, sortOrder: 1 },
  { name: "Growth", credits: 10_000, priceCents: 9_000, sortOrder: 2 },
  { name: "Scale", credits: 100_000, priceCents: 80_000, sortOrder: 3 },
];

export const demoOrganizationName = "Demo Analytics Co.";

/** Idempotent: default packages and a demo organization with a welcome grant, only where missing. */
export async function seedDatabase(database: Database) {
  const existingPackages = await database.select({ id: creditPackages.id }).from(creditPackages).limit(1);
  if (existingPackages.length === 0) {
    await database.insert(creditPackages).values(defaultCreditPackages);
  }
  const [demo] = await database
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.name, demoOrganizationName));
  const organizationId =
    demo?.id ??
    (await database.insert(organizations).values({ name: demoOrganizationName }).returning({ id: organizations.id }))[0]!.id;
  await grantCredits({ organizationId, credits: 5_000, reason: "grant", reference: "seed:demo-welcome" });
  return { organizationId };
}
