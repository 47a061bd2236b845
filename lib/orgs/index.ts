import { eq } from "drizzle-orm";
import { db, type Executor } from "@/db/client";
import { organizations } from "@/db/schema";

/** A self-registered user's own organization, named after them. */
export async function createPersonalOrganization(executor: Executor, owner: { name: string | null; email: string }) {
  const label = owner.name?.trim() || owner.email.split("@")[0] || owner.email;
  const [organization] = await executor
    .insert(organizations)
    .values({ name: `${label}'s organization` })
    .returning();
  return organization!;
}

export async function getOrganization(organizationId: string) {
  const [organization] = await db.select().from(organizations).where(eq(organizations.id, organizationId));
  return organization ?? null;
}
