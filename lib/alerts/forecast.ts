import { sql } from "drizzle-orm";
import { db, queryRows } from "@/db/client";
import { deliverSoon, enqueueEmail } from "@/lib/email";
import { forecastBurn, utcDay, type DailyCredits } from "@/lib/usage/forecast";
import { forecastTemplate } from "./templates";

/** Alert when the credits run out within this many days at the 7-day rate, and at most once per this period. */
export const forecastAlertDays = 3;
const dayMs = 86_400_000;

type Candidate = { id: string; balance: number; created_at: Date | string; daily: DailyCredits[] };
type ClaimedRow = { name: string; balance: string; emails: string[] | null };

export type ForecastAlertReport = { checked: number; alerted: number; emails: number };

/**
 * Active organizations with credits, not alerted in the last 3 days, and their credits per UTC day of the
 * last 7 (the window the forecast's rate uses), in one statement: the lateral reads each organization's
 * rollups through the usage_daily primary key, and an organization without recent usage is not a row.
 */
function readCandidates(now: Date) {
  const since = utcDay(new Date(now.getTime() - 6 * dayMs));
  return queryRows<Candidate>(db, sql`
    select o.id, o.balance::float8 as balance, o.created_at, recent.daily
    from organizations o
    cross join lateral (
      select json_agg(json_build_object('day', per_day.day, 'credits', per_day.credits)) as daily
      from (
        select d.day::text as day, sum(d.credits)::float8 as credits from usage_daily d
        where d.organization_id = o.id and d.day >= ${since}::date and d.day <= ${utcDay(now)}::date
        group by d.day
      ) per_day
    ) recent
    where o.disabled_at is null and o.balance > 0 and recent.daily is not null
      and (o.forecast_alerted_at is null or o.forecast_alerted_at < ${now.toISOString()}::timestamptz - make_interval(days => ${forecastAlertDays}))`);
}

/**
 * The gate, as for the low-credit alert: a conditional UPDATE that one run wins, so two runs at once (two
 * cron calls, or the CLI beside the cron) send one email per admin. The emails are queued in the same
 * transaction, so a claim never commits without them.
 */
async function claimAndEnqueue(organizationId: string, now: Date, forecast: { perDay7: number; daysLeft: number; runsOutAt: Date }) {
  return db.transaction(async (tx) => {
    const [row] = await queryRows<ClaimedRow>(tx, sql`
      update organizations set forecast_alerted_at = ${now.toISOString()}::timestamptz
      where id = ${organizationId} and disabled_at is null
        and (forecast_alerted_at is null or forecast_alerted_at < ${now.toISOString()}::timestamptz - make_interval(days => ${forecastAlertDays}))
      returning name, balance::text,
        (select array_agg(email order by email) from users
         where organization_id = ${organizationId} and role = 'client_admin' and disabled_at is null
           and email_verified is not null and notify_forecast) as emails`);
    if (!row) return null;
    const props = {
      organizationName: row.name,
      balance: Number(row.balance),
      creditsPerDay: forecast.perDay7,
      daysLeft: forecast.daysLeft,
      runsOutOn: utcDay(forecast.runsOutAt),
    };
    for (const email of row.emails ?? []) await enqueueEmail(tx, email, forecastTemplate, props);
    return row.emails?.length ?? 0;
  });
}

/**
 * The daily forecast alert (SPEC section 8; `npm run portal -- alerts:forecast`, GET /api/cron/forecast):
 * emails the client admins who want it of every organization whose credits run out within 3 days at its
 * 7-day rate, at most once per 3 days per organization.
 */
export async function runForecastAlerts(now = new Date()): Promise<ForecastAlertReport> {
  const candidates = await readCandidates(now);
  const report: ForecastAlertReport = { checked: candidates.length, alerted: 0, emails: 0 };
  for (const candidate of candidates) {
    // Only the 7-day rate decides here, so the 30-day figure computed from 7 days of rows goes unused.
    const forecast = forecastBurn({
      balance: candidate.balance,
      daily: candidate.daily,
      now,
      organizationCreatedAt: new Date(candidate.created_at),
    });
    if (forecast.state !== "runs_out" || forecast.daysLeft > forecastAlertDays) continue;
    const queued = await claimAndEnqueue(candidate.id, now, forecast);
    if (queued === null) continue;
    report.alerted += 1;
    report.emails += queued;
  }
  if (report.emails > 0) deliverSoon();
  return report;
}
