import { and, eq, isNull } from "drizzle-orm";
import { db } from "@/db/client";
import { organizations } from "@/db/schema";
import { getStripe } from "./client";

/**
 * The organization's Stripe customer, created on its first purchase and stored, so every invoice of an
 * organization sits under one customer. The idempotency key makes two racing first purchases create one.
 */
export async function ensureStripeCustomer(organizationId: string, email: string): Promise<string> {
  const [organization] = await db
    .select({ name: organizations.name, stripeCustomerId: organizations.stripeCustomerId })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  if (!organization) throw new Error(`Organization ${organizationId} not found`);
  if (organization.stripeCustomerId) return organization.stripeCustomerId;
  const customer = await getStripe().customers.create(
    { name: organization.name, email, metadata: { organizationId } },
    { idempotencyKey: `customer:${organizationId}` },
  );
  await db
    .update(organizations)
    .set({ stripeCustomerId: customer.id })
    .where(and(eq(organizations.id, organizationId), isNull(organizations.stripeCustomerId)));
  const [stored] = await db
    .select({ stripeCustomerId: organizations.stripeCustomerId })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  return stored?.stripeCustomerId ?? customer.id;
}
