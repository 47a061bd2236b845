import { randomUUID } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { emailOutbox, users, type Role } from "@/db/schema";
import { createTestOrganization } from "./organizations";

export const request = { ipAddress: "198.51.100.20", userAgent: "vitest" };

/** A verified user of `organizationId` with `role`. */
export async function createMember(organizationId: string, role: Role = "user", label = "member") {
  const [user] = await db
    .insert(users)
    .values({ email: `${label}-${randomUUID().slice(0, 8)}@example.test`, name: label, role, organizationId, emailVerified: new Date() })
    .returning();
  return user!;
}

/** An organization with one client admin. */
export async function createOrganizationWithAdmin(balance = 0) {
  const organization = await createTestOrganization(balance);
  const admin = await createMember(organization.id, "client_admin", "admin");
  return { organization, admin };
}

/** The token in the newest invitation email to `email`, read from the outbox as the dev mailbox shows it. */
export async function invitationTokenFor(email: string) {
  const [message] = await db
    .select({ text: emailOutbox.text })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, email), eq(emailOutbox.template, "invitation")))
    .orderBy(desc(emailOutbox.createdAt))
    .limit(1);
  const match = message?.text.match(/\/invite\?token=([A-Za-z0-9_%-]+)/);
  if (!match) throw new Error(`no invitation email to ${email}`);
  return decodeURIComponent(match[1]!);
}
