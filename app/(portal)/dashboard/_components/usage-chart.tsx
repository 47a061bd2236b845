"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatCredits, formatUtcDay } from "@/lib/format";
import { totalColor, type ChartPoint, type ChartSeries } from "./chart-series";

export type UsageChartProps = { points: ChartPoint[]; series: ChartSeries[]; stacked: boolean };

const tooltipStyle = {
  backgroundColor: "var(--card)",
  borderColor: "var(--border)",
  borderRadius: "var(--radius)",
  color: "var(--card-foreground)",
};

/** Loaded on demand (next/dynamic): recharts stays out of the dashboard's first-load bundle. */
export default function UsageChart({ points, series, stacked }: UsageChartProps) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid vertical={false} stroke="currentColor" strokeOpacity={0.15} />
        <XAxis
          dataKey="day"
          tickFormatter={formatUtcDay}
          tick={{ fill: "currentColor", fontSize: 12 }}
          tickLine={false}
          axisLine={false}
          minTickGap={16}
        />
        <YAxis
          tickFormatter={(value: number) => formatCredits(value)}
          tick={{ fill: "currentColor", fontSize: 12 }}
          tickLine={false}
          axisLine={false}
          allowDecimals={false}
          width={56}
        />
        <Tooltip
          cursor={{ fill: "currentColor", fillOpacity: 0.08 }}
          contentStyle={tooltipStyle}
          labelFormatter={(day) => `${formatUtcDay(String(day))} (UTC)`}
          formatter={(value) => formatCredits(Number(value))}
        />
        {stacked ? (
          <>
            {/* Legend text in the page's colour: the series colours are too light for text on a light card. */}
            <Legend wrapperStyle={{ fontSize: 12 }} formatter={(value) => <span className="text-foreground">{value}</span>} />
            {series.map((s) => (
              <Bar key={s.id} dataKey={s.id} name={s.name} stackId="credits" fill={s.color} isAnimationActive={false} />
            ))}
          </>
        ) : (
          <Bar dataKey="total" name="Credits" fill={totalColor} radius={[3, 3, 0, 0]} isAnimationActive={false} />
        )}
      </BarChart>
    </ResponsiveContainer>
  );
}
