import { and, desc, eq, gt, gte, isNull, lte, or, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { apiKeys, usageDaily, usageEvents, users } from "@/db/schema";
import { utcDay } from "./forecast";

const dayMs = 86_400_000;

/** One API key as the chart names it; a revoked key keeps its name, so past usage stays attributed. */
export type ChartKey = { id: string; name: string; revoked: boolean; credits: number };

/** Credits of one UTC day: the total and each key's share (keys without usage that day are absent). */
export type ChartDay = { day: string; total: number; byKey: Record<string, number> };

export type DailyCreditsByKey = { days: ChartDay[]; keys: ChartKey[]; total: number };

/** The `days` UTC days ending with today's, oldest first. */
export function lastUtcDays(now: Date, days: number) {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => utcDay(new Date(today - (days - 1 - i) * dayMs)));
}

type RollupRow = { day: string; apiKeyId: string; name: string; revokedAt: Date | null; credits: number };

/** Every day of the window present (zero when nothing was spent); keys ordered by credits, largest first. */
export function zeroFilledDays(rows: RollupRow[], now: Date, days: number): DailyCreditsByKey {
  const window = lastUtcDays(now, days);
  const byDay = new Map<string, ChartDay>(window.map((day) => [day, { day, total: 0, byKey: {} }]));
  const keys = new Map<string, ChartKey>();
  for (const row of rows) {
    const entry = byDay.get(row.day);
    if (!entry) continue;
    entry.total += row.credits;
    entry.byKey[row.apiKeyId] = (entry.byKey[row.apiKeyId] ?? 0) + row.credits;
    const key = keys.get(row.apiKeyId) ?? { id: row.apiKeyId, name: row.name, revoked: row.revokedAt !== null, credits: 0 };
    key.credits += row.credits;
    keys.set(row.apiKeyId, key);
  }
  const sortedKeys = [...keys.values()].sort((a, b) => b.credits - a.credits || a.name.localeCompare(b.name));
  return { days: [...byDay.values()], keys: sortedKeys, total: sortedKeys.reduce((sum, key) => sum + key.credits, 0) };
}

/**
 * Credits per UTC day and API key over the last `days` days, from the daily rollups only (never a scan of
 * usage_events). The endpoint dimension is summed away here.
 */
export async function getDailyCreditsByKey(organizationId: string, now = new Date(), days = 30): Promise<DailyCreditsByKey> {
  const window = lastUtcDays(now, days);
  const rows = await db
    .select({
      day: usageDaily.day,
      apiKeyId: usageDaily.apiKeyId,
      name: apiKeys.name,
      revokedAt: apiKeys.revokedAt,
      credits: sql<number>`sum(${usageDaily.credits})::bigint`.mapWith(Number),
    })
    .from(usageDaily)
    .innerJoin(apiKeys, and(eq(apiKeys.id, usageDaily.apiKeyId), eq(apiKeys.organizationId, organizationId)))
    .where(and(eq(usageDaily.organizationId, organizationId), gte(usageDaily.day, window[0]!), lte(usageDaily.day, window.at(-1)!)))
    .groupBy(usageDaily.day, usageDaily.apiKeyId, apiKeys.name, apiKeys.revokedAt);
  return zeroFilledDays(rows, now, days);
}

/** The organization's newest usage events, newest first, with the name of the key that made each. */
export async function listRecentUsage(organizationId: string, limit = 10) {
  return db
    .select({
      id: usageEvents.id,
      occurredAt: usageEvents.occurredAt,
      credits: usageEvents.credits,
      endpoint: usageEvents.endpoint,
      keyName: apiKeys.name,
    })
    .from(usageEvents)
    .innerJoin(apiKeys, and(eq(apiKeys.id, usageEvents.apiKeyId), eq(apiKeys.organizationId, organizationId)))
    .where(eq(usageEvents.organizationId, organizationId))
    // The (organization_id, occurred_at, id) index read backwards: no sort, whatever the table's size.
    .orderBy(desc(usageEvents.occurredAt), desc(usageEvents.id))
    .limit(limit);
}

export type RecentUsage = Awaited<ReturnType<typeof listRecentUsage>>[number];

/** Keys that still work (not revoked, not past their expiry, a rolled key's grace included) and enabled members. */
export async function getOrganizationCounts(organizationId: string, now = new Date()) {
  const [[keys], [members]] = await Promise.all([
    db
      .select({ count: sql<number>`count(*)::int` })
      .from(apiKeys)
      .where(
        and(
          eq(apiKeys.organizationId, organizationId),
          isNull(apiKeys.revokedAt),
          or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
        ),
      ),
    db
      .select({ count: sql<number>`count(*)::int` })
      .from(users)
      .where(and(eq(users.organizationId, organizationId), isNull(users.disabledAt))),
  ]);
  return { activeKeys: keys?.count ?? 0, members: members?.count ?? 0 };
}
