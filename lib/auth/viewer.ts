import type { Role } from "@/db/schema";

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
 * Reads the current session from the request cookies. The accounts module (auth.ts) provides the real
 * implementation; until it exists nobody is signed in.
 */
export async function getViewer(): Promise<Viewer | null> {
  return null;
}
