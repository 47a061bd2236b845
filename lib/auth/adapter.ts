import { DrizzleAdapter } from "@auth/drizzle-adapter";
import type { Adapter, AdapterSession, AdapterUser } from "next-auth/adapters";
import { db } from "@/db/client";
import { withTransaction } from "@/db/transaction";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { createPersonalOrganization } from "@/lib/orgs";
import { getRequestInfo } from "./request-info";

/**
 * Auth.js's Drizzle adapter with three changes: a user created by an OAuth sign-in gets a personal
 * organization (as its client_admin) in the same transaction, session rows record the browser and IP, and
 * a lookup by email never returns an unverified account to link into.
 */
export function createAuthAdapter(): Adapter {
  const base = DrizzleAdapter(db, {
    usersTable: users,
    accountsTable: accounts,
    sessionsTable: sessions,
    verificationTokensTable: verificationTokens,
  });
  return {
    ...base,
    /**
     * Auth.js links an OAuth sign-in into the user this returns (allowDangerousEmailAccountLinking). An
     * address nobody has verified is not enough for that (lib/auth/linking.ts): such a user is not
     * returned, so Auth.js tries to create one, and the unique email refuses it.
     */
    async getUserByEmail(email) {
      const user = await base.getUserByEmail!(email);
      return user?.emailVerified ? user : null;
    },
    async createUser(data) {
      const { id: _id, emailVerifiedByProvider, ...profile } = data as AdapterUser & { emailVerifiedByProvider?: boolean };
      const request = await getRequestInfo();
      return withTransaction(async ({ tx }) => {
        const organization = await createPersonalOrganization(tx, { name: profile.name ?? null, email: profile.email });
        const [user] = await tx
          .insert(users)
          .values({
            name: profile.name,
            email: profile.email,
            image: profile.image,
            emailVerified: emailVerifiedByProvider ? new Date() : null,
            organizationId: organization.id,
            role: "client_admin",
          })
          .returning();
        await writeAudit(
          { action: "user.registered", actorUserId: user!.id, organizationId: organization.id, targetType: "user", targetId: user!.id, metadata: { via: "oauth" }, ...request },
          tx,
        );
        return user as AdapterUser;
      });
    },
    async createSession(data): Promise<AdapterSession> {
      const request = await getRequestInfo();
      const [session] = await db
        .insert(sessions)
        .values({ ...data, userAgent: request.userAgent, ipAddress: request.ipAddress })
        .returning();
      return session!;
    },
  };
}
