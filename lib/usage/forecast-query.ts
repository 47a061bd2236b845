import { and, eq, gte, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { organizations, usageDaily } from "@/db/schema";
import { forecastBurn, utcDay, type BurnForecast } from "./forecast";

/** The credits per UTC day of the last 30 days, read from the rollups. */
export async function getDailyCredits(organizationId: string, now = new Date()) {
  const since = utcDay(new Date(now.getTime() - 29 * 86_400_000));
  const rows = await db
    .select({ day: usageDaily.day, credits: sql<string>`sum(${usageDaily.credits})` })
    .from(usageDaily)
    .where(and(eq(usageDaily.organizationId, organizationId), gte(usageDaily.day, since)))
    .groupBy(usageDaily.day);
  return rows.map((row) => ({ day: row.day, credits: Number(row.credits) }));
}

/** The organization's burn rate and run-out forecast, or null when it does not exist. */
export async function getBurnForecast(organizationId: string, now = new Date()): Promise<BurnForecast | null> {
  const [[organization], daily] = await Promise.all([
    db
      .select({ balance: organizations.balance, createdAt: organizations.createdAt })
      .from(organizations)
      .where(eq(organizations.id, organizationId)),
    getDailyCredits(organizationId, now),
  ]);
  if (!organization) return null;
  return forecastBurn({ balance: organization.balance, daily, now, organizationCreatedAt: organization.createdAt });
}
