"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { signIn } from "@/auth";
import { createAction, failure, messages, success } from "@/lib/actions";
import { unlinkProvider } from "@/lib/auth/linking";
import { changePassword, type PasswordChangeResult } from "@/lib/auth/password-change";
import { configuredOAuthProviders } from "@/lib/auth/providers";
import { rateLimitedMessage } from "@/lib/auth/rate-limit";
import { getRequestInfo } from "@/lib/auth/request-info";
import { profileSchema } from "@/lib/auth/schemas";
import { revokeOtherSessions, revokeSession } from "@/lib/auth/sessions";
import { preferenceChangeSchema, setNotificationPreference } from "@/lib/users/preferences";
import { updateProfileName } from "@/lib/users/profile";
import { passwordChangeSchema } from "./_components/password-change-schema";

export const updateProfile = createAction(profileSchema, "account.update", async ({ name }, { viewer }) => {
  const result = await updateProfileName(viewer.userId, name);
  if (!result.ok) return failure(messages.invalid, result.fieldErrors);
  // The name is shown in the shell on every page.
  revalidatePath("/", "layout");
  return success({ name: result.name });
});

const passwordRefusals: Record<Exclude<PasswordChangeResult, { ok: true }>["reason"], { message: string; field?: string }> = {
  wrong_password: { message: "That is not your current password.", field: "currentPassword" },
  same_password: { message: "Choose a password different from your current one.", field: "newPassword" },
  no_password: { message: "This account signs in with a provider and has no password. Use “Forgot password” on the sign-in page to set one." },
  rate_limited: { message: rateLimitedMessage },
  changed_meanwhile: { message: "Your password was changed somewhere else in the meantime. Reload the page and try again." },
};

export const changePasswordAction = createAction(passwordChangeSchema, "account.update", async (input, { viewer }) => {
  const result = await changePassword(
    { userId: viewer.userId, sessionId: viewer.sessionId, organizationId: viewer.organizationId, request: await getRequestInfo() },
    input.currentPassword,
    input.newPassword,
  );
  if (!result.ok) {
    const refusal = passwordRefusals[result.reason];
    return failure(refusal.message, refusal.field ? { [refusal.field]: [refusal.message] } : undefined);
  }
  revalidatePath("/settings/sessions");
  return success({ sessionsEnded: result.sessionsEnded });
});

export const setNotificationPreferenceAction = createAction(preferenceChangeSchema, "account.update", async (input, { viewer }) => {
  const saved = await setNotificationPreference(viewer.userId, input.preference, input.enabled);
  if (!saved) return failure(messages.signedOut);
  revalidatePath("/settings/notifications");
  return success(saved);
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
