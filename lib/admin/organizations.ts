import { and, desc, eq, ilike, isNull, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { apiKeys, organizations, usageDaily, users } from "@/db/schema";
import { containsPattern, exactTime, olderThan, pageOf, uuidPattern, type TimeCursor } from "./cursor";

// Days are UTC dates in usage_daily; "the last 30 days" is today and the 29 before it.
const since = (days: number) => sql`(now() at time zone 'UTC')::date - ${days - 1}::int`;

// Written out with table names: drizzle leaves a single-table query's columns unqualified, and inside these
// subqueries an unqualified "id" would be the subquery's own.
const memberCount = sql<number>`(select count(*)::int from users u where u.organization_id = "organizations"."id")`;
const usage30d = sql<string>`(select coalesce(sum(d.credits), 0) from usage_daily d
  where d.organization_id = "organizations"."id" and d.day >= ${since(30)})`;

/** Organizations whose name contains `query`, or the one whose id it is; newest first, by keyset. */
export async function searchOrganizations(options: { query?: string; after?: TimeCursor; limit?: number } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 25, 1), 100);
  const query = options.query;
  const matches = !query ? undefined : uuidPattern.test(query) ? eq(organizations.id, query) : ilike(organizations.name, containsPattern(query));
  const rows = await db
    .select({
      id: organizations.id,
      name: organizations.name,
      balance: organizations.balance,
      disabledAt: organizations.disabledAt,
      createdAt: organizations.createdAt,
      members: memberCount,
      credits30d: sql<number>`${usage30d}`.mapWith(Number),
      exactCreatedAt: exactTime(organizations.createdAt),
    })
    .from(organizations)
    .where(and(matches, olderThan(organizations.createdAt, organizations.id, options.after, "uuid")))
    .orderBy(desc(organizations.createdAt), desc(organizations.id))
    .limit(limit + 1);
  return pageOf(rows, limit, (row) => ({ at: row.exactCreatedAt, id: row.id }));
}

/** Requests and credits of the last 1, 7 and 30 days, from the daily rollups. */
export async function getUsageSummary(organizationId: string) {
  const [row] = await db
    .select({
      requests1d: sql<string>`coalesce(sum(${usageDaily.requests}) filter (where ${usageDaily.day} >= ${since(1)}), 0)`,
      credits1d: sql<string>`coalesce(sum(${usageDaily.credits}) filter (where ${usageDaily.day} >= ${since(1)}), 0)`,
      requests7d: sql<string>`coalesce(sum(${usageDaily.requests}) filter (where ${usageDaily.day} >= ${since(7)}), 0)`,
      credits7d: sql<string>`coalesce(sum(${usageDaily.credits}) filter (where ${usageDaily.day} >= ${since(7)}), 0)`,
      requests30d: sql<string>`coalesce(sum(${usageDaily.requests}), 0)`,
      credits30d: sql<string>`coalesce(sum(${usageDaily.credits}), 0)`,
    })
    .from(usageDaily)
    .where(and(eq(usageDaily.organizationId, organizationId), sql`${usageDaily.day} >= ${since(30)}`));
  const number = (value: string | undefined) => Number(value ?? 0);
  return {
    day: { requests: number(row?.requests1d), credits: number(row?.credits1d) },
    week: { requests: number(row?.requests7d), credits: number(row?.credits7d) },
    month: { requests: number(row?.requests30d), credits: number(row?.credits30d) },
  };
}

/** The organization's members with their lock state and last sign-in (their newest session). */
export async function listOrganizationMembers(organizationId: string) {
  return db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      locked: sql<boolean>`coalesce(${users.lockedUntil} > now(), false)`,
      disabledAt: users.disabledAt,
      lastSignInAt: sql<Date | null>`(select max(s.created_at) from sessions s where s.user_id = "users"."id")`.mapWith(
        (value: string | Date | null) => (value === null ? null : new Date(value)),
      ),
    })
    .from(users)
    .where(eq(users.organizationId, organizationId))
    .orderBy(users.email);
}

export async function countActiveKeys(organizationId: string) {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(apiKeys)
    .where(and(eq(apiKeys.organizationId, organizationId), isNull(apiKeys.revokedAt), sql`(${apiKeys.expiresAt} is null or ${apiKeys.expiresAt} > now())`));
  return row?.count ?? 0;
}
