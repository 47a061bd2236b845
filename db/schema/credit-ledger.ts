import { sql } from "drizzle-orm";
import { bigint, check, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { users } from "./users";

export const ledgerReasons = ["purchase", "refund", "usage", "adjustment", "grant"] as const;
export type LedgerReason = (typeof ledgerReasons)[number];

/**
 * Append-only: every change of an organization's balance is one row here, written in the same
 * transaction as the balance, so that balance = Σ delta always holds.
 */
export const creditLedger = pgTable(
  "credit_ledger",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "restrict" }),
    delta: bigint("delta", { mode: "number" }).notNull(),
    balanceAfter: bigint("balance_after", { mode: "number" }).notNull(),
    reason: text("reason", { enum: ledgerReasons }).notNull(),
    // Idempotency reference: the same reference is applied once per organization.
    reference: text("reference"),
    actorUserId: text("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("credit_ledger_reference_uq").on(table.organizationId, table.reference),
    index("credit_ledger_organization_idx").on(table.organizationId, table.createdAt),
    check("credit_ledger_delta_non_zero", sql`${table.delta} <> 0`),
    check("credit_ledger_balance_after_non_negative", sql`${table.balanceAfter} >= 0`),
  ],
);

export type LedgerEntry = typeof creditLedger.$inferSelect;
