"use server";

import { CredentialsSignin } from "next-auth";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signIn } from "@/auth";
import { createAction, createPublicAction, failure } from "@/lib/actions";
import { allowAuthAttempt, rateLimitedMessage } from "@/lib/auth/rate-limit";
import { getRequestInfo } from "@/lib/auth/request-info";
import { hashToken } from "@/lib/auth/tokens";
import { acceptInvitationAsMember, acceptInvitationAsNewUser, type JoinRefusal } from "@/lib/invitations/accept";
import { invitationSignUpSchema, invitationTokenSchema } from "@/lib/invitations/schemas";


const joinRefusals: Record<JoinRefusal | "account_exists", string> = {
  invalid: "This invitation link is not valid. Ask for a new invitation.",
  expired: "This invitation has expired. Ask the admin who invited you to resend it.",
  cancelled: "This invitation was cancelled. Ask the organization's admins if you still need access.",
  accepted: "This invitation has already been accepted. Sign in instead.",
  account_exists: "An account with this email already exists. Sign in to accept the invitation.",
  wrong_account: "This invitation is for another email address. Sign out and open the link again.",
  already_member: "You already belong to this organization.",
  platform_admin: "A platform administrator cannot join an organization by invitation.",
  organization_in_use:
    "Your account already belongs to an organization with members, keys, credits or payments, and an account belongs to one organization. Ask the inviting admin to invite another email address.",
};

/** A signed-out invitee with no account: create it (email from the invitation, verified) and sign in. */
export const acceptInvitationWithSignUp = createPublicAction(invitationSignUpSchema, async ({ token, name, password }) => {
  const request = await getRequestInfo();
  if (!(await allowAuthAttempt("sign-up", { ipAddress: request.ipAddress, email: `invitation:${hashToken(token)}` }))) return failure(rateLimitedMessage);
  const result = await acceptInvitationAsNewUser({ token, name, password, request });
  if (!result.ok) return failure(joinRefusals[result.reason]);
  try {
    await signIn("credentials", { email: result.email, password, redirectTo: "/dashboard" });
  } catch (error) {
    // The account exists and joined; only the automatic sign-in failed.
    if (error instanceof CredentialsSignin) redirect("/sign-in");
    throw error;
  }
  redirect("/dashboard");
});

/** A signed-in invitee joins the organization (lib/invitations/accept.ts says when an account may move). */
export const acceptInvitationAction = createAction(z.object({ token: invitationTokenSchema }), "invitations.accept", async ({ token }, { viewer }) => {
  const result = await acceptInvitationAsMember({ token, userId: viewer.userId, request: await getRequestInfo() });
  if (!result.ok) return failure(joinRefusals[result.reason]);
  redirect("/dashboard");
});
