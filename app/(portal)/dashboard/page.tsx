import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getViewer } from "@/lib/auth/viewer";
import { getOrganization } from "@/lib/orgs";
import { getOrganizationActivity, onboardingProgress } from "@/lib/orgs/onboarding";
import { getDailyCreditsByKey, getOrganizationCounts, listRecentUsage } from "@/lib/usage/dashboard";
import { getBurnForecast } from "@/lib/usage/forecast-query";
import { OnboardingChecklist } from "../_components/onboarding-checklist";
import { BalanceCard } from "./_components/balance-card";
import { DailyCreditsSection } from "./_components/daily-credits-section";
import { ForecastCard } from "./_components/forecast-card";
import { QuickActions } from "./_components/quick-actions";
import { RecentUsageCard } from "./_components/recent-usage";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in?callbackUrl=/dashboard");
  const organizationId = viewer.organizationId;
  // One clock for every query, so the chart, the forecast and the counts describe the same moment.
  const now = new Date();
  const [organization, activity, forecast, daily, recent, counts] = await Promise.all([
    getOrganization(organizationId),
    getOrganizationActivity(organizationId),
    getBurnForecast(organizationId, now),
    getDailyCreditsByKey(organizationId, now),
    listRecentUsage(organizationId, 10),
    getOrganizationCounts(organizationId, now),
  ]);
  if (!organization || !forecast) redirect("/sign-in");
  const canBuy = viewer.role !== "user";
  const progress = onboardingProgress(activity, viewer.emailVerified);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight break-words">{organization.name}</h1>
        <p className="text-sm break-all text-muted-foreground">Signed in as {viewer.email}</p>
      </div>
      {!progress.complete && <OnboardingChecklist progress={progress} email={viewer.email} canBuy={canBuy} />}
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <BalanceCard organization={organization} hadCredits={activity.hasCredits} />
        <ForecastCard forecast={forecast} canBuy={canBuy} hadCredits={activity.hasCredits} />
        <QuickActions counts={counts} canBuy={canBuy} />
      </div>
      <DailyCreditsSection data={daily} />
      <RecentUsageCard events={recent} />
    </div>
  );
}
