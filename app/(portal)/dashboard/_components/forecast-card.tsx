import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatCredits, formatDate, formatRate } from "@/lib/format";
import type { BurnForecast } from "@/lib/usage/forecast";

type ForecastCardProps = {
  forecast: BurnForecast;
  canBuy: boolean;
  /** A brand-new organization at zero is not "out of credits": it has not started. */
  hadCredits: boolean;
};

/** "about N days" for the run-out sentence; under a day is said as such rather than "about 0 days". */
export function runOutPhrase(daysLeft: number) {
  if (daysLeft < 1) return "in less than a day";
  const days = Math.round(daysLeft);
  return `in about ${formatCredits(days)} ${days === 1 ? "day" : "days"}`;
}

function Headline({ forecast, hadCredits }: Omit<ForecastCardProps, "canBuy">) {
  switch (forecast.state) {
    case "runs_out":
      return (
        <p data-testid="forecast-headline">
          At this rate your credits run out <strong>{runOutPhrase(forecast.daysLeft)}</strong> (on{" "}
          <time dateTime={forecast.runsOutAt.toISOString()}>{formatDate(forecast.runsOutAt)}</time>).
        </p>
      );
    case "no_recent_usage":
      return <p data-testid="forecast-headline">No usage in the last 7 days, so there is no rate to forecast from yet.</p>;
    case "out_of_credits":
      return (
        <p data-testid="forecast-headline">
          {hadCredits ? "You are out of credits: new requests are refused until credits are added." : "Once you have credits and make calls, we forecast when they run out."}
        </p>
      );
  }
}

export function ForecastCard({ forecast, canBuy, hadCredits }: ForecastCardProps) {
  const urgent = forecast.state === "out_of_credits" ? hadCredits : forecast.state === "runs_out" && forecast.daysLeft < 7;
  return (
    <Card className="sm:order-last sm:col-span-2 lg:order-none">
      <CardHeader className="pb-3">
        <CardDescription>Burn rate</CardDescription>
        <CardTitle className="sr-only">Burn-rate forecast</CardTitle>
        <dl className="grid grid-cols-2 gap-4">
          <div>
            <dt className="text-xs text-muted-foreground">Last 7 days</dt>
            <dd className="text-2xl font-semibold tabular-nums">
              {formatRate(forecast.perDay7)} <span className="text-sm font-normal text-muted-foreground">credits/day</span>
            </dd>
          </div>
          <div>
            <dt className="text-xs text-muted-foreground">Last 30 days</dt>
            <dd className="text-2xl font-semibold tabular-nums">
              {formatRate(forecast.perDay30)} <span className="text-sm font-normal text-muted-foreground">credits/day</span>
            </dd>
          </div>
        </dl>
      </CardHeader>
      <CardContent className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
        <div className={urgent ? "min-w-0 flex-1 text-red-700 dark:text-red-300" : "min-w-0 flex-1"}>
          <Headline forecast={forecast} hadCredits={hadCredits} />
        </div>
        {canBuy ? (
          <Link
            href="/billing"
            className="font-medium text-primary underline underline-offset-4 focus-visible:rounded-sm focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
          >
            Buy credits
          </Link>
        ) : (
          <p className="text-muted-foreground">Need more? Ask an admin of your organization to buy credits.</p>
        )}
      </CardContent>
    </Card>
  );
}
