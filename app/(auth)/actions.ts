"use server";

import { CredentialsSignin } from "next-auth";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signIn, signOut } from "@/auth";
import { createPublicAction, failure, success } from "@/lib/actions";
import { lockedUntil } from "@/lib/auth/credentials";
import { requestPasswordResetAfterResponse, resetPassword } from "@/lib/auth/password-reset";
import { configuredOAuthProviders } from "@/lib/auth/providers";
import { allowAuthAttempt, rateLimitedMessage } from "@/lib/auth/rate-limit";
import { registerUser } from "@/lib/auth/registration";
import { getRequestInfo } from "@/lib/auth/request-info";
import { resetPasswordSchema, resetRequestSchema, signInSchema, signUpSchema } from "@/lib/auth/schemas";
import { verifyEmailToken } from "@/lib/auth/verification";
import { safeCallbackUrl } from "./callback-url";

function formatUnlock(date: Date) {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

async function signInFailureMessage(code: string | undefined, email: string) {
  switch (code) {
    case "locked": {
      const until = await lockedUntil(email);
      return `Too many wrong passwords: this account is locked until ${until ? formatUnlock(until) : "later"}. We emailed you about it.`;
    }
    case "disabled":
      return "This account has been disabled. Contact support.";
    case "rate_limited":
      return rateLimitedMessage;
    default:
      return "Wrong email or password.";
  }
}

export const signInWithPassword = createPublicAction(signInSchema, async ({ email, password, callbackUrl }) => {
  try {
    await signIn("credentials", { email, password, redirectTo: safeCallbackUrl(callbackUrl) });
  } catch (error) {
    if (error instanceof CredentialsSignin) return failure(await signInFailureMessage(error.code, email));
    throw error;
  }
  return success(undefined);
});

/**
 * One answer whether or not the address already has an account ("check your inbox"): a new one gets its
 * verification link, a taken one's owner an email saying someone tried (lib/auth/registration). Signing
 * the new user in here would tell the two apart, so both go on to sign in.
 */
export const signUp = createPublicAction(signUpSchema, async (input) => {
  const request = await getRequestInfo();
  if (!(await allowAuthAttempt("sign-up", { ipAddress: request.ipAddress, email: input.email }))) {
    return failure(rateLimitedMessage);
  }
  await registerUser(input, request);
  return success({ email: input.email });
});

export const requestReset = createPublicAction(resetRequestSchema, async ({ email }) => {
  const request = await getRequestInfo();
  if (!(await allowAuthAttempt("reset", { ipAddress: request.ipAddress, email }))) return failure(rateLimitedMessage);
  // The same answer, as fast, whether or not the address has an account: the work comes after it.
  requestPasswordResetAfterResponse(email, request);
  return success({ email });
});

export const completeReset = createPublicAction(resetPasswordSchema, async ({ token, password }) => {
  const result = await resetPassword(token, password, await getRequestInfo());
  if (!result.ok) return failure(tokenProblem(result.reason, "reset"));
  redirect("/sign-in?reset=1");
});

function tokenProblem(reason: "invalid" | "expired" | "used", kind: "reset" | "verify") {
  const again = kind === "reset" ? "Request a new reset link." : "Send a new link from the banner after signing in.";
  if (reason === "used") return `This link has already been used. ${again}`;
  if (reason === "expired") return `This link has expired. ${again}`;
  return `This link is not valid. ${again}`;
}

export const confirmEmail = createPublicAction(z.object({ token: z.string().min(1).max(200) }), async ({ token }) => {
  const result = await verifyEmailToken(token, await getRequestInfo());
  redirect(`/verify-email?status=${result.ok ? "verified" : result.reason}`);
});

/** Plain form action (no result to show): an unknown provider just returns to the sign-in page. */
export async function signInWithProvider(formData: FormData) {
  const provider = String(formData.get("provider") ?? "");
  if (!configuredOAuthProviders().some((entry) => entry.id === provider)) redirect("/sign-in");
  await signIn(provider, { redirectTo: safeCallbackUrl(formData.get("callbackUrl")?.toString()) });
}

export async function signOutAction() {
  await signOut({ redirectTo: "/sign-in" });
}
