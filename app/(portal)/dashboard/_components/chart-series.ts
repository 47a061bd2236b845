import type { ChartDay, ChartKey } from "@/lib/usage/dashboard";

/** Stacks beyond this many keys become one "Other keys" band, so the legend and colours stay readable. */
export const maxKeySeries = 7;
export const otherSeriesId = "other";

export type ChartSeries = { id: string; name: string; color: string };
export type ChartPoint = { day: string } & Record<string, number | string>;

// Mid-tone colours that keep their contrast on the light and the dark card alike.
const palette = ["#3b82f6", "#10b981", "#f59e0b", "#a855f7", "#ec4899", "#06b6d4", "#84cc16"];
const otherColor = "#94a3b8";
export const totalColor = palette[0]!;

/** One bar series per key (largest first, revoked keys by name too), the tail folded into "Other keys". */
export function keySeries(keys: ChartKey[]): ChartSeries[] {
  const shown = keys.slice(0, maxKeySeries).map((key, i) => ({
    id: key.id,
    name: key.revoked ? `${key.name} (revoked)` : key.name,
    color: palette[i % palette.length]!,
  }));
  return keys.length > maxKeySeries ? [...shown, { id: otherSeriesId, name: "Other keys", color: otherColor }] : shown;
}

/** Rows for recharts: each day with its total and one value per series (zero when the key was idle). */
export function chartPoints(days: ChartDay[], series: ChartSeries[]): ChartPoint[] {
  const named = new Set(series.map((s) => s.id));
  return days.map((day) => {
    const point: ChartPoint = { day: day.day, total: day.total };
    for (const s of series) point[s.id] = 0;
    for (const [keyId, credits] of Object.entries(day.byKey)) {
      const id = named.has(keyId) ? keyId : otherSeriesId;
      point[id] = (point[id] as number) + credits;
    }
    return point;
  });
}
