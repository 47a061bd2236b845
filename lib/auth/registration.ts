import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { withTransaction } from "@/db/transaction";
import { users, type User } from "@/db/schema";
import { appUrl } from "@/lib/app-url";
import { writeAudit } from "@/lib/audit";
import { isUniqueViolation } from "@/lib/credits/errors";
import { deliverSoon, enqueueEmail, signUpAttemptTemplate } from "@/lib/email";
import { createPersonalOrganization } from "@/lib/orgs";
import { noticeEmailAllowance } from "./email-throttle";
import { hashPassword } from "./password";
import type { RequestInfo } from "./request-info";
import type { SignUpInput } from "./schemas";
import { queueVerificationEmail } from "./verification";

/** The caller must answer both outcomes the same way: which addresses have accounts is nobody's business. */
export type RegistrationResult = { ok: true; userId: string } | { ok: false; reason: "email_taken" };

const signUpAttemptAction = "user.sign_up_attempted";

/**
 * The address already has an account: its owner gets an email (at most one a minute and five a day)
 * saying so, with the ways in, where a new user would have had their verification link.
 */
async function notifyExistingAccount(executor: Executor, lockedUser: User, request: RequestInfo) {
  const allowance = await noticeEmailAllowance(executor, lockedUser.id, signUpAttemptAction);
  if (allowance.allowed) {
    await enqueueEmail(executor, lockedUser.email, signUpAttemptTemplate, {
      name: lockedUser.name,
      signInUrl: appUrl("/sign-in"),
      resetUrl: appUrl("/forgot-password"),
      verified: Boolean(lockedUser.emailVerified),
    });
  }
  await writeAudit(
    {
      action: signUpAttemptAction,
      organizationId: lockedUser.organizationId,
      targetType: "user",
      targetId: lockedUser.id,
      metadata: { emailed: allowance.allowed },
      ...request,
    },
    executor,
  );
}

/**
 * Creates the user, their personal organization (as its client_admin), the audit row and the verification
 * email in one transaction: either all of it exists afterwards or none of it does. For an address that
 * already has an account it does the same kind of work (the password is hashed all the same, one email is
 * queued) so that neither the answer nor its timing tells the two apart.
 */
export async function registerUser(input: SignUpInput, request: RequestInfo): Promise<RegistrationResult> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await withTransaction(async ({ tx, afterCommit }) => {
      // Locked so that parallel sign-ups for a taken address count their notices one after another.
      const [existing] = await tx.select().from(users).where(eq(users.email, input.email)).for("update");
      if (existing) {
        await notifyExistingAccount(tx, existing, request);
        afterCommit(deliverSoon);
        return { ok: false as const, reason: "email_taken" as const };
      }
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
    // Two sign-ups with one address at the same moment: the unique index decides, and the other one's
    // owner is the person signing up now, who already gets the verification email.
    if (isUniqueViolation(error)) return { ok: false, reason: "email_taken" };
    throw error;
  }
}
