import NextAuth, { CredentialsSignin, type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import type { Role } from "@/db/schema";
import { createAuthAdapter } from "@/lib/auth/adapter";
import { authenticateWithPassword, type PasswordSignInFailure } from "@/lib/auth/credentials";
import { checkOAuthSignIn, markEmailVerifiedByProvider } from "@/lib/auth/linking";
import { oauthProviders } from "@/lib/auth/providers";
import { getRequestInfo } from "@/lib/auth/request-info";
import { signInSchema } from "@/lib/auth/schemas";
import { createSessionRow, sessionMaxAgeSeconds } from "@/lib/auth/sessions";
import { writeAudit } from "@/lib/audit";
import { env } from "@/lib/env";

declare module "next-auth" {
  interface Session {
    /** The session row's public id (never its token). */
    sessionId: string;
    user: {
      id: string;
      role: Role;
      organizationId: string | null;
      emailVerified: boolean;
      disabled: boolean;
    } & DefaultSession["user"];
  }
}

/** Carries the reason to the sign-in action, which turns it into a message. */
export class PasswordSignInError extends CredentialsSignin {
  constructor(reason: PasswordSignInFailure) {
    super(reason);
    this.code = reason;
  }
}

type UserRow = { id: string; email: string; name: string | null; image: string | null; emailVerified: Date | null; role: Role; organizationId: string | null; disabledAt: Date | null };

async function auditProviderEvent(action: string, userId: string | undefined, provider: string) {
  await writeAudit({
    action,
    actorUserId: userId ?? null,
    targetType: "user",
    targetId: userId,
    metadata: { provider },
    ...(await getRequestInfo()),
  });
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  adapter: createAuthAdapter(),
  secret: env().AUTH_SECRET,
  trustHost: true,
  // The strategy is left to its default, which is "database" because an adapter is set. Naming it
  // explicitly makes Auth.js refuse the Credentials provider when it is the only one configured.
  session: { maxAge: sessionMaxAgeSeconds, updateAge: 24 * 60 * 60 },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  logger: {
    error(error) {
      // A refused password is an expected outcome, already audited: one line, not a stack trace per attempt.
      if ((error as { type?: string }).type === "CredentialsSignin") {
        console.warn(`[auth] password sign-in refused: ${error.message.split(".")[0]}`);
        return;
      }
      console.error("[auth]", error);
    },
  },
  providers: [
    ...oauthProviders(),
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw) {
        const parsed = signInSchema.safeParse(raw);
        if (!parsed.success) throw new PasswordSignInError("invalid");
        const result = await authenticateWithPassword(parsed.data.email, parsed.data.password, await getRequestInfo());
        if (!result.ok) throw new PasswordSignInError(result.reason);
        return result.user;
      },
    }),
  ],
  callbacks: {
    async signIn({ user, account, profile }) {
      if (!account || account.type === "credentials") return true;
      return checkOAuthSignIn({ user, account, profile });
    },
    // Only called for Credentials sign-ins (database sessions skip it); marks the token for `jwt.encode`.
    jwt({ token, account }) {
      return account?.type === "credentials" ? { ...token, credentials: true } : token;
    },
    session({ session, user }) {
      const row = user as unknown as UserRow;
      return {
        expires: session.expires,
        sessionId: (session as unknown as { id: string }).id,
        user: {
          id: row.id,
          email: row.email,
          name: row.name,
          image: row.image,
          role: row.role,
          organizationId: row.organizationId,
          emailVerified: Boolean(row.emailVerified),
          disabled: Boolean(row.disabledAt),
        },
      } as typeof session;
    },
  },
  jwt: {
    /**
     * Auth.js issues a JWT after a Credentials sign-in. We store a database session instead, like the
     * OAuth providers do, and return its token as the cookie value, so every session can be revoked.
     */
    async encode({ token }) {
      if (!token?.credentials || !token.sub) throw new Error("Unexpected JWT encode with database sessions");
      return createSessionRow(token.sub, await getRequestInfo());
    },
    async decode() {
      return null;
    },
  },
  events: {
    async signIn({ user, account, profile }) {
      // Password sign-ins are audited by lib/auth/credentials, with the reason when they fail.
      if (!account || account.type === "credentials") return;
      await auditProviderEvent("auth.sign_in", user.id, account.provider);
      if (user.id) await markEmailVerifiedByProvider(user.id, account.provider, profile, await getRequestInfo());
    },
    async linkAccount({ user, account }) {
      await auditProviderEvent("account.linked", user.id, account.provider);
    },
    async signOut(message) {
      if (!("session" in message) || !message.session) return;
      const session = message.session as unknown as { userId: string; id?: string };
      await writeAudit({
        action: "auth.sign_out",
        actorUserId: session.userId,
        targetType: "session",
        targetId: session.id,
        ...(await getRequestInfo()),
      });
    },
  },
}));

export const { GET, POST } = handlers;
