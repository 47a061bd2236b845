import type { Metadata } from "next";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { env } from "@/lib/env";
import { formatCredits } from "@/lib/format";
import { OrgHeader } from "../_components/org-header";
import { loadOrgPage } from "../_components/load-org-page";
import { SettingsForm } from "./_components/settings-form";
import { ThresholdForm } from "./_components/threshold-form";

export const metadata: Metadata = { title: "Organization settings" };

export default async function OrganizationSettingsPage() {
  const { viewer, organization } = await loadOrgPage("org.settings.update", "/org/settings");
  return (
    <div className="space-y-6">
      <OrgHeader title="Organization settings" organizationName={organization.name} current="/org/settings" />
      <Card>
        <CardHeader>
          <CardTitle>Name and key scopes</CardTitle>
          <CardDescription>The scopes members may give the API keys they create. Admins may always grant every scope.</CardDescription>
        </CardHeader>
        <CardContent>
          <SettingsForm name={organization.name} configuredScopes={env().API_KEY_SCOPES} memberKeyScopes={organization.memberKeyScopes} />
        </CardContent>
      </Card>
      {can(viewer.role, "org.threshold.update") && (
        <Card>
          <CardHeader>
            <CardTitle>Low-credit alert</CardTitle>
            <CardDescription>
              The admins get an email, and everyone sees a banner, when the balance ({formatCredits(organization.balance)} credits now) falls below this
              many credits.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <ThresholdForm threshold={organization.lowCreditThreshold} />
          </CardContent>
        </Card>
      )}
    </div>
  );
}
