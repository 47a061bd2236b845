"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { Skeleton } from "@/components/ui/skeleton";
import type { ChartPoint, ChartSeries } from "./chart-series";

const UsageChart = dynamic(() => import("./usage-chart"), {
  ssr: false,
  loading: () => <Skeleton className="h-full w-full" />,
});

type View = "total" | "by_key";

const toggleClass =
  "rounded-sm px-3 py-1 text-xs font-medium outline-none focus-visible:ring-2 focus-visible:ring-ring aria-pressed:bg-background aria-pressed:shadow-xs";

/** The chart and its total/by-key toggle; the numbers behind it are in the table the page renders beside it. */
export function UsageChartCard({ points, series, summary }: { points: ChartPoint[]; series: ChartSeries[]; summary: string }) {
  const [view, setView] = useState<View>("total");
  return (
    <div className="space-y-3">
      <div role="group" aria-label="Chart view" className="inline-flex rounded-md bg-muted p-0.5">
        <button type="button" className={toggleClass} aria-pressed={view === "total"} onClick={() => setView("total")}>
          Total
        </button>
        <button type="button" className={toggleClass} aria-pressed={view === "by_key"} onClick={() => setView("by_key")}>
          By API key
        </button>
      </div>
      {/* Screen readers get the summary here and every number in the table the page renders beside it. */}
      <figure aria-label={summary} className="h-64 text-muted-foreground sm:h-72" data-testid="usage-chart">
        <UsageChart points={points} series={series} stacked={view === "by_key"} />
      </figure>
    </div>
  );
}
