import { and, desc, eq, gte, ilike, like, lt, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { db } from "@/db/client";
import { auditLog, organizations, users } from "@/db/schema";
import { isSingleLineText } from "@/lib/validation/text";
import { containsPattern } from "./cursor";
import { csvLine } from "@/lib/csv";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) && value >= "2000-01-01" && value <= "2999-12-31";
  });
const text = z.string().trim().min(1).max(200).refine(isSingleLineText);

/**
 * The audit log's filters, from the page's search params or the export's query: actor email (contains),
 * action (exact, or a prefix such as `user.`), organization id, and a UTC date range, both days included.
 * Anything that does not parse is left out rather than answered with an error page.
 */
export const auditFiltersSchema = z.object({
  actor: text.optional().catch(undefined),
  action: text.optional().catch(undefined),
  organizationId: z.uuid().optional().catch(undefined),
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
});

export type AuditFilters = z.infer<typeof auditFiltersSchema>;

const actors = alias(users, "actor");

function whereOf(filters: AuditFilters, before?: number) {
  const action = filters.action;
  return and(
    filters.actor ? ilike(actors.email, containsPattern(filters.actor)) : undefined,
    action ? (action.endsWith(".") ? like(auditLog.action, `${action.replace(/[\\%_]/g, "\\$&")}%`) : eq(auditLog.action, action)) : undefined,
    filters.organizationId ? eq(auditLog.organizationId, filters.organizationId) : undefined,
    filters.from ? gte(auditLog.createdAt, new Date(`${filters.from}T00:00:00Z`)) : undefined,
    filters.to ? lt(auditLog.createdAt, sql`${`${filters.to}T00:00:00Z`}::timestamptz + interval '1 day'`) : undefined,
    before ? lt(auditLog.id, before) : undefined,
  );
}

/**
 * One page of the audit log, newest first. The id is the keyset: it grows with every row, so "older than
 * this id" is a stable position however many rows arrive meanwhile.
 */
export async function listAuditEntries(filters: AuditFilters, options: { before?: number; limit?: number } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 1000);
  const rows = await db
    .select({ entry: auditLog, actorEmail: actors.email, organizationName: organizations.name })
    .from(auditLog)
    .leftJoin(actors, eq(actors.id, auditLog.actorUserId))
    .leftJoin(organizations, eq(organizations.id, auditLog.organizationId))
    .where(whereOf(filters, options.before))
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return { rows: page, next: rows.length > limit ? page.at(-1)!.entry.id : undefined };
}

export const auditCsvHeader = ["id", "time_utc", "action", "actor_email", "actor_user_id", "organization_id", "organization_name", "target_type", "target_id", "ip_address", "user_agent", "metadata"];

/** The whole filtered log as CSV lines, read a page at a time so an export of any size holds one page in memory. */
export async function* auditCsvLines(filters: AuditFilters, pageSize = 1000): AsyncGenerator<string> {
  yield csvLine(auditCsvHeader);
  let before: number | undefined;
  do {
    const page = await listAuditEntries(filters, { before, limit: pageSize });
    for (const { entry, actorEmail, organizationName } of page.rows) {
      yield csvLine([
        entry.id, entry.createdAt.toISOString(), entry.action, actorEmail, entry.actorUserId, entry.organizationId, organizationName,
        entry.targetType, entry.targetId, entry.ipAddress, entry.userAgent, entry.metadata ? JSON.stringify(entry.metadata) : null,
      ]);
    }
    before = page.next;
  } while (before !== undefined);
}
