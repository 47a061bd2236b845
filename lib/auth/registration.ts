import { eq } from "drizzle-orm";
import { withTransaction } from "@/db/transaction";
import { users } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { isUniqueViolation } from "@/lib/credits/errors";
import { deliverSoon } from "@/lib/email";
import { createPersonalOrganization } from "@/lib/orgs";
import { hashPassword } from "./password";
import type { RequestInfo } from "./request-info";
import type { SignUpInput } from "./schemas";
import { queueVerificationEmail } from "./verification";

export type RegistrationResult = { ok: true; userId: string } | { ok: false; reason: "email_taken" };

/**
 * Creates the user, their personal organization (as its client_admin), the audit row and the verification
 * email in one transaction: either all of it exists afterwards or none of it does.
 */
export async function registerUser(input: SignUpInput, request: RequestInfo): Promise<RegistrationResult> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await withTransaction(async ({ tx, afterCommit }) => {
      const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email));
      if (existing) return { ok: false as const, reason: "email_taken" as const };
      const organization = await createPersonalOrganization(tx, input);
      const [user] = await tx
        .insert(users)
        .values({ name: input.name, email: input.email, passwordHash, organizationId: organization.id, role: "client_admin" })
        .returning();
      await writeAudit(
        { action: "user.registered", actorUserId: user!.id, organizationId: organization.id, targetType: "user", targetId: user!.id, ...request },
        tx,
      );
      await queueVerificationEmail(tx, user!);
      afterCommit(deliverSoon);
      return { ok: true as const, userId: user!.id };
    });
  } catch (error) {
    // Two sign-ups with one address at the same moment: the unique index decides.
    if (isUniqueViolation(error)) return { ok: false, reason: "email_taken" };
    throw error;
  }
}
