const dayMs = 86_400_000;

/** Credits spent on one UTC day (`YYYY-MM-DD`), as the daily rollups hold them. */
export type DailyCredits = { day: string; credits: number };

export type BurnForecast = {
  /** Credits per day over the trailing 7 and 30 days, or over the organization's life when it is younger. */
  perDay7: number;
  perDay30: number;
  balance: number;
} & (
  | { state: "out_of_credits" }
  // Nothing was spent in the last 7 days: no rate to extrapolate, whatever the 30-day figure says.
  | { state: "no_recent_usage" }
  | { state: "runs_out"; daysLeft: number; runsOutAt: Date }
);

export function utcDay(instant: Date) {
  return instant.toISOString().slice(0, 10);
}

function startOfUtcDay(instant: Date) {
  return Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate());
}

/**
 * The rate over the trailing `days`: from the start of the UTC day `days - 1` days back (so today, still
 * running, counts with its credits and only its elapsed time) or from the organization's creation when that
 * is later. At least one day is assumed elapsed, so an hour-old organization's first calls are a rate per
 * day, not an extrapolation of an hour to a day.
 */
function ratePerDay(daily: DailyCredits[], now: Date, createdAt: Date, days: number) {
  const windowStart = startOfUtcDay(now) - (days - 1) * dayMs;
  const firstDay = utcDay(new Date(windowStart));
  const spent = daily.filter((row) => row.day >= firstDay && row.day <= utcDay(now)).reduce((sum, row) => sum + row.credits, 0);
  const elapsedDays = Math.max(1, (now.getTime() - Math.max(windowStart, createdAt.getTime())) / dayMs);
  return spent / elapsedDays;
}

/** When the balance runs out at the 7-day rate: what the dashboard shows and the forecast alert acts on. */
export function forecastBurn(input: { balance: number; daily: DailyCredits[]; now: Date; organizationCreatedAt: Date }): BurnForecast {
  const { balance, daily, now, organizationCreatedAt } = input;
  const perDay7 = ratePerDay(daily, now, organizationCreatedAt, 7);
  const perDay30 = ratePerDay(daily, now, organizationCreatedAt, 30);
  const rates = { perDay7, perDay30, balance };
  if (balance <= 0) return { ...rates, state: "out_of_credits" };
  if (perDay7 <= 0) return { ...rates, state: "no_recent_usage" };
  const daysLeft = balance / perDay7;
  return { ...rates, state: "runs_out", daysLeft, runsOutAt: new Date(now.getTime() + daysLeft * dayMs) };
}
