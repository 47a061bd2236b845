"use server";

import { eq } from "drizzle-orm";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { signIn } from "@/auth";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { createAction, failure, success } from "@/lib/actions";
import { unlinkProvider } from "@/lib/auth/linking";
import { configuredOAuthProviders } from "@/lib/auth/providers";
import { getRequestInfo } from "@/lib/auth/request-info";
import { profileSchema } from "@/lib/auth/schemas";
import { revokeOtherSessions, revokeSession } from "@/lib/auth/sessions";

export const updateProfile = createAction(profileSchema, "account.update", async ({ name }, { viewer }) => {
  await db.update(users).set({ name, updatedAt: new Date() }).where(eq(users.id, viewer.userId));
  revalidatePath("/", "layout");
  return success(undefined);
});

export const revokeSessionAction = createAction(z.object({ sessionId: z.uuid() }), "account.update", async ({ sessionId }, { viewer }) => {
  if (sessionId === viewer.sessionId) return failure("Use Sign out to end this session.");
  const revoked = await revokeSession({ userId: viewer.userId, organizationId: viewer.organizationId, request: await getRequestInfo() }, sessionId);
  if (!revoked) return failure("That session has already ended.");
  revalidatePath("/settings/sessions");
  return success(undefined);
});

export const revokeOtherSessionsAction = createAction(z.object({}), "account.update", async (_input, { viewer }) => {
  const count = await revokeOtherSessions(
    { userId: viewer.userId, organizationId: viewer.organizationId, request: await getRequestInfo() },
    viewer.sessionId,
  );
  revalidatePath("/settings/sessions");
  return success({ count });
});

export const unlinkProviderAction = createAction(z.object({ provider: z.string().min(1) }), "account.update", async ({ provider }, { viewer }) => {
  const result = await unlinkProvider({ userId: viewer.userId, organizationId: viewer.organizationId, request: await getRequestInfo() }, provider);
  if (!result.ok) {
    return failure(result.reason === "last_method" ? "You cannot remove your only way to sign in. Set a password or link another provider first." : "That provider is not linked.");
  }
  revalidatePath("/settings/security");
  return success(undefined);
});

export const linkProviderAction = createAction(z.object({ provider: z.string().min(1) }), "account.update", async ({ provider }) => {
  if (!configuredOAuthProviders().some((entry) => entry.id === provider)) return failure("That provider is not available.");
  // Signed in, so Auth.js links the provider account to this user (or refuses if it belongs to another).
  await signIn(provider, { redirectTo: "/settings/security" });
  return success(undefined);
});
