import { redirect } from "next/navigation";
import type * as React from "react";
import { AppShell } from "@/components/shell/app-shell";
import { can } from "@/lib/auth/permissions";
import { getViewer } from "@/lib/auth/viewer";
import { getOrganization } from "@/lib/orgs";
import { getOrganizationActivity, isOrganizationActive } from "@/lib/orgs/onboarding";
import { signOutAction } from "../(auth)/actions";
import { LowCreditBanner } from "./_components/low-credit-banner";
import { VerifyEmailBanner } from "./_components/verify-email-banner";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const viewer = await getViewer();
  if (!viewer) {
    // proxy.ts normally redirects first (keeping the callbackUrl); this covers a session that ended in between.
    redirect("/sign-in");
  }
  const [organization, activity] = await Promise.all([
    getOrganization(viewer.organizationId),
    getOrganizationActivity(viewer.organizationId),
  ]);
  if (!organization) redirect("/sign-in");
  return (
    <AppShell
      viewer={{ name: viewer.name, email: viewer.email, image: viewer.image, role: viewer.role }}
      organization={{ name: organization.name }}
      signOutAction={signOutAction}
      banner={
        <>
          {!viewer.emailVerified && <VerifyEmailBanner email={viewer.email} />}
          {/* A brand-new organization is at zero by definition: the dashboard's onboarding guides it instead. */}
          {isOrganizationActive(activity) && <LowCreditBanner organization={organization} canBuy={can(viewer.role, "credits.buy")} />}
        </>
      }
    >
      {children}
    </AppShell>
  );
}
