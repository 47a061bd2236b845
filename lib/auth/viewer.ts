import { cache } from "react";
import { auth } from "@/auth";
import type { Role } from "@/db/schema";
import { touchSession } from "./sessions";

/** The signed-in person as every server action, route and page sees them. */
export type Viewer = {
  userId: string;
  sessionId: string;
  email: string;
  name: string | null;
  image: string | null;
  role: Role;
  organizationId: string;
  emailVerified: boolean;
};

/**
 * Reads the current database session (Auth.js `auth()`), once per request. Revoked or expired sessions
 * have no row and come back as null; so do disabled users and users without an organization.
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const session = await auth();
  const user = session?.user;
  if (!session?.sessionId || !user?.id || !user.email || user.disabled || !user.organizationId) return null;
  await touchSession(session.sessionId);
  return {
    userId: user.id,
    sessionId: session.sessionId,
    email: user.email,
    name: user.name ?? null,
    image: user.image ?? null,
    role: user.role,
    organizationId: user.organizationId,
    emailVerified: user.emailVerified,
  };
});
