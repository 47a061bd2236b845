import { sql } from "drizzle-orm";
import { cache } from "react";
import { db, queryRows } from "@/db/client";

/** What an organization has done so far, read from real state rather than from a stored checklist. */
export type OrganizationActivity = {
  /** Any credit ever added (a purchase, test payment, grant or positive adjustment), even if since spent. */
  hasCredits: boolean;
  hasKey: boolean;
  /** A first usage report was recorded (its rollup row exists). */
  hasUsage: boolean;
};

export type OnboardingStep = "verify_email" | "get_credits" | "create_key" | "first_call";

export type OnboardingProgress = { steps: Record<OnboardingStep, boolean>; complete: boolean };

/**
 * One round trip of EXISTS probes, each answered from an index whose first column is the organization. Cached
 * per request: the portal layout and the dashboard both ask.
 */
export const getOrganizationActivity = cache(async (organizationId: string): Promise<OrganizationActivity> => {
  const [row] = await queryRows<{ has_credits: boolean; has_key: boolean; has_usage: boolean }>(db, sql`
    select
      exists (select 1 from credit_ledger where organization_id = ${organizationId} and delta > 0) as has_credits,
      exists (select 1 from api_keys where organization_id = ${organizationId}) as has_key,
      exists (select 1 from usage_daily where organization_id = ${organizationId}) as has_usage`);
  return { hasCredits: row?.has_credits ?? false, hasKey: row?.has_key ?? false, hasUsage: row?.has_usage ?? false };
});

/**
 * The organization has got going: credits, a key and a first call. Only then is a low or empty balance news
 * worth a banner; before that, the onboarding checklist says what to do next, without alarm.
 */
export function isOrganizationActive(activity: OrganizationActivity) {
  return activity.hasCredits && activity.hasKey && activity.hasUsage;
}

export function onboardingProgress(activity: OrganizationActivity, emailVerified: boolean): OnboardingProgress {
  const steps = {
    verify_email: emailVerified,
    get_credits: activity.hasCredits,
    create_key: activity.hasKey,
    first_call: activity.hasUsage,
  };
  return { steps, complete: Object.values(steps).every(Boolean) };
}
