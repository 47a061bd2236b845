import { BarChart3Icon } from "lucide-react";
import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatCredits, formatUtcDay } from "@/lib/format";
import type { DailyCreditsByKey } from "@/lib/usage/dashboard";
import { chartPoints, keySeries } from "./chart-series";
import { UsageChartCard } from "./usage-chart-card";

function chartSummary({ days, total, keys }: DailyCreditsByKey) {
  const busiest = days.reduce((top, day) => (day.total > top.total ? day : top), days[0]!);
  const keyCount = keys.length === 1 ? "1 API key" : `${keys.length} API keys`;
  return `${formatCredits(total)} credits over the last ${days.length} days from ${keyCount}; busiest day ${formatUtcDay(busiest.day)} with ${formatCredits(busiest.total)} credits.`;
}

/** The 30-day chart of credits per UTC day, with its numbers as a table for screen readers and anyone else. */
export function DailyCreditsSection({ data }: { data: DailyCreditsByKey }) {
  const series = keySeries(data.keys);
  const points = chartPoints(data.days, series);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Credits per day</CardTitle>
        <CardDescription>Last {data.days.length} days, by UTC day</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {data.total === 0 ? (
          <EmptyState
            icon={BarChart3Icon}
            title="No usage in the last 30 days"
            description={
              <>
                Calls made with your API keys show here by day and key. See the <Link href="/docs" className="underline underline-offset-4">docs</Link> to make one.
              </>
            }
          />
        ) : (
          <>
            <p className="text-sm text-muted-foreground">{chartSummary(data)}</p>
            <UsageChartCard points={points} series={series} summary={chartSummary(data)} />
            <details className="text-sm">
              <summary className="cursor-pointer rounded-sm font-medium outline-none focus-visible:ring-2 focus-visible:ring-ring">
                Show the numbers as a table
              </summary>
              <Table className="mt-2" aria-label="Credits per UTC day and API key">
                <TableHeader>
                  <TableRow>
                    <TableHead>Day (UTC)</TableHead>
                    <TableHead className="text-right">Total</TableHead>
                    {series.map((s) => (
                      <TableHead key={s.id} className="text-right">{s.name}</TableHead>
                    ))}
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {points.map((point) => (
                    <TableRow key={point.day}>
                      <TableCell>{formatUtcDay(point.day)}</TableCell>
                      <TableCell className="text-right tabular-nums">{formatCredits(Number(point.total))}</TableCell>
                      {series.map((s) => (
                        <TableCell key={s.id} className="text-right tabular-nums">{formatCredits(Number(point[s.id]))}</TableCell>
                      ))}
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </details>
          </>
        )}
      </CardContent>
    </Card>
  );
}
