import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { profileSchema } from "@/lib/auth/schemas";

export type ProfileUpdateResult = { ok: true; name: string } | { ok: false; fieldErrors: Record<string, string[] | undefined> };

/**
 * Renames the user. Validates here as well as in the action, so the CLI and tests get the same rules: a name
 * is trimmed, 1-100 characters, one line, and storable (no NUL, no half of a surrogate pair).
 */
export async function updateProfileName(userId: string, rawName: unknown): Promise<ProfileUpdateResult> {
  const parsed = profileSchema.safeParse({ name: rawName });
  if (!parsed.success) return { ok: false, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  await db.update(users).set({ name: parsed.data.name, updatedAt: new Date() }).where(eq(users.id, userId));
  return { ok: true, name: parsed.data.name };
}

/** What the profile tab shows: the provider's avatar lives in users.image. */
export async function getProfile(userId: string) {
  const [row] = await db
    .select({ name: users.name, email: users.email, image: users.image, emailVerified: users.emailVerified, hasPassword: sql<boolean>`${users.passwordHash} is not null` })
    .from(users)
    .where(eq(users.id, userId));
  return row ?? null;
}
