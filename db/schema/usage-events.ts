import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/**
 * One billable request reported by the data API. Unique per key + requestId: the row is the dedupe
 * marker and is written in the same statement as its deduction and ledger row.
 */
export const usageEvents = pgTable(
  "usage_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // No foreign keys: this is the hot append-only table, and checking two of them costs a lookup each per
    // inserted row, a quarter of a 500-event batch's database time. Both ids come from the api_keys row that
    // the same statement reads (with its organization's row locked), and neither keys nor organizations are
    // ever deleted (revoking and disabling are flags), so there is nothing for the checks to catch.
    organizationId: uuid("organization_id").notNull(),
    apiKeyId: uuid("api_key_id").notNull(),
    requestId: text("request_id").notNull(),
    credits: integer("credits").notNull(),
    endpoint: text("endpoint"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    // Hash of the report's body, so a retry with a different body is told apart (409).
    bodyHash: text("body_hash").notNull(),
    // The balance right after this deduction: a duplicate report is answered with it.
    balanceAfter: bigint("balance_after", { mode: "number" }).notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("usage_events_key_request_uq").on(table.apiKeyId, table.requestId),
    // Keyset pages of the usage explorer and the export: by time, or by credits, with the id as tie-breaker.
    index("usage_events_organization_time_idx").on(table.organizationId, table.occurredAt, table.id),
    index("usage_events_organization_credits_idx").on(table.organizationId, table.credits, table.id),
    check("usage_events_credits_positive", sql`${table.credits} > 0`),
  ],
);

export type UsageEvent = typeof usageEvents.$inferSelect;
