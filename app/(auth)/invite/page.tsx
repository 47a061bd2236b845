import type { Metadata } from "next";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { getViewer } from "@/lib/auth/viewer";
import { describeInvitation, type DeadInvitation } from "@/lib/invitations/accept";
import { invitationTokenSchema } from "@/lib/invitations/schemas";
import { signOutAction } from "../actions";
import { AcceptInvitationButton } from "./_components/accept-invitation-button";
import { InvitationSignUpForm } from "./_components/invitation-sign-up-form";

export const metadata: Metadata = { title: "Accept an invitation" };

const deadLinks: Record<DeadInvitation, { title: string; body: string }> = {
  invalid: { title: "Invitation not valid", body: "This invitation link is not valid. If it was resent, use the newest email; otherwise ask for a new invitation." },
  expired: { title: "Invitation expired", body: "Invitations are valid for 7 days. Ask the admin who invited you to resend it." },
  cancelled: { title: "Invitation cancelled", body: "This invitation was cancelled. Ask the organization's admins if you still need access." },
  accepted: { title: "Invitation already accepted", body: "This invitation has already been used. Sign in to reach the organization." },
};

function Heading({ title, description }: { title: string; description?: string }) {
  return (
    <CardHeader>
      <h1 className="text-xl leading-none font-semibold tracking-tight">{title}</h1>
      {description && <CardDescription>{description}</CardDescription>}
    </CardHeader>
  );
}

export default async function InvitePage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token: raw } = await searchParams;
  const parsed = invitationTokenSchema.safeParse(Array.isArray(raw) ? raw[0] : raw);
  const [view, viewer] = await Promise.all([parsed.success ? describeInvitation(parsed.data) : ({ status: "invalid" } as const), getViewer()]);

  if (view.status !== "open" || !parsed.success) {
    const dead = deadLinks[view.status === "open" ? "invalid" : view.status];
    return (
      <Card>
        <Heading title={dead.title} />
        <CardContent className="space-y-4">
          <p className="text-sm">{dead.body}</p>
          <Button asChild variant="outline" className="w-full">
            <Link href={viewer ? "/dashboard" : "/sign-in"}>{viewer ? "Go to the portal" : "Sign in"}</Link>
          </Button>
        </CardContent>
      </Card>
    );
  }

  const token = parsed.data;
  const { invitation, organizationName, inviterName } = view;
  const joining = `${inviterName ?? "An administrator"} invited ${invitation.email} to join ${organizationName}${invitation.role === "client_admin" ? " as an admin" : ""}.`;
  const here = `/invite?token=${encodeURIComponent(token)}`;

  return (
    <Card>
      <Heading title={`Join ${organizationName}`} description={joining} />
      <CardContent className="space-y-4">
        {viewer && viewer.email === invitation.email ? (
          <AcceptInvitationButton token={token} organizationName={organizationName} />
        ) : viewer ? (
          <>
            <p className="text-sm">
              You are signed in as {viewer.email}, but this invitation is for {invitation.email}. Sign out, then open the link again.
            </p>
            <form action={signOutAction}>
              <Button type="submit" variant="outline" className="w-full">
                Sign out
              </Button>
            </form>
          </>
        ) : view.accountExists ? (
          <>
            <p className="text-sm">{invitation.email} already has an account. Sign in with it to accept.</p>
            <Button asChild className="w-full">
              <Link href={`/sign-in?callbackUrl=${encodeURIComponent(here)}`}>Sign in to accept</Link>
            </Button>
          </>
        ) : (
          <InvitationSignUpForm token={token} email={invitation.email} />
        )}
      </CardContent>
    </Card>
  );
}
