import { describe, expect, it } from "vitest";
import { forecastBurn, type DailyCredits } from "./forecast";

const now = new Date("2026-12-01T12:00:00Z");
const longAgo = new Date("2026-01-01T00:00:00Z");

/** `credits` on each of the `days` UTC days ending today (today first). */
function history(days: number, credits: (daysAgo: number) => number): DailyCredits[] {
  return Array.from({ length: days }, (_, daysAgo) => ({
    day: new Date(now.getTime() - daysAgo * 86_400_000).toISOString().slice(0, 10),
    credits: credits(daysAgo),
  })).filter((row) => row.credits > 0);
}

describe("forecastBurn", () => {
  it("steady use: 100 a day for 60 days runs 1,000 credits out in about 10 days, on the date it says", () => {
    // Today is half over and has its 50 so far: 6.5 days elapsed in the 7-day window, 650 credits.
    const daily = history(60, (daysAgo) => (daysAgo === 0 ? 50 : 100));
    const forecast = forecastBurn({ balance: 1000, daily, now, organizationCreatedAt: longAgo });
    expect(forecast.perDay7).toBeCloseTo(100);
    expect(forecast.perDay30).toBeCloseTo(100);
    expect(forecast).toMatchObject({ state: "runs_out" });
    if (forecast.state !== "runs_out") return;
    expect(forecast.daysLeft).toBeCloseTo(10);
    expect(forecast.runsOutAt.toISOString()).toBe("2026-12-11T12:00:00.000Z");
  });

  it("no use: no rate, no run-out date, however large or small the balance", () => {
    for (const balance of [1, 1_000_000]) {
      expect(forecastBurn({ balance, daily: [], now, organizationCreatedAt: longAgo })).toEqual({
        state: "no_recent_usage",
        perDay7: 0,
        perDay30: 0,
        balance,
      });
    }
  });

  it("use that stopped more than 7 days ago shows the 30-day rate but forecasts nothing", () => {
    const daily = history(30, (daysAgo) => (daysAgo >= 10 ? 300 : 0));
    const forecast = forecastBurn({ balance: 500, daily, now, organizationCreatedAt: longAgo });
    expect(forecast.state).toBe("no_recent_usage");
    expect(forecast.perDay30).toBeCloseTo((20 * 300) / 29.5);
  });

  it("a spike yesterday raises the 7-day rate far above the 30-day rate and brings the date forward", () => {
    const steady = history(30, () => 100);
    const spiked = steady.map((row, index) => (index === 1 ? { ...row, credits: 6_600 } : row));
    const before = forecastBurn({ balance: 10_000, daily: steady, now, organizationCreatedAt: longAgo });
    const after = forecastBurn({ balance: 10_000, daily: spiked, now, organizationCreatedAt: longAgo });
    expect(after.perDay7).toBeCloseTo((6 * 100 + 6_600) / 6.5);
    expect(after.perDay7).toBeGreaterThan(3 * after.perDay30);
    if (before.state !== "runs_out" || after.state !== "runs_out") throw new Error("both should run out");
    expect(after.daysLeft).toBeLessThan(before.daysLeft / 5);
  });

  it("a brand-new organization: an hour of use counts as at least a day, not extrapolated to 24 hours", () => {
    const createdAt = new Date(now.getTime() - 3_600_000);
    const forecast = forecastBurn({ balance: 900, daily: [{ day: "2026-12-01", credits: 100 }], now, organizationCreatedAt: createdAt });
    expect(forecast.perDay7).toBe(100);
    expect(forecast.perDay30).toBe(100);
    expect(forecast).toMatchObject({ state: "runs_out", daysLeft: 9 });
  });

  it("a three-day-old organization's rate is over its three days, not over seven", () => {
    const createdAt = new Date(now.getTime() - 3 * 86_400_000);
    const daily = history(4, () => 75);
    expect(forecastBurn({ balance: 300, daily, now, organizationCreatedAt: createdAt }).perDay7).toBe(100);
  });

  it("an empty balance is out of credits, whatever the rate", () => {
    expect(forecastBurn({ balance: 0, daily: history(7, () => 10), now, organizationCreatedAt: longAgo }).state).toBe("out_of_credits");
  });
});
