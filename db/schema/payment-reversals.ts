import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { payments } from "./payments";

export const reversalKinds = ["refund", "dispute"] as const;
export type ReversalKind = (typeof reversalKinds)[number];
// A dispute holds its amount while open or lost, and gives it back when won. Refunds are always final.
export const reversalStatuses = ["final", "open", "won", "lost"] as const;
export type ReversalStatus = (typeof reversalStatuses)[number];

/**
 * Money that went back to the customer, one row per provider object (a Stripe charge's refunds, a PayPal
 * refund, a dispute). The payment's credits taken back always follow from these rows, so a repeated or
 * reordered event can only ever set a row to the same value.
 */
export const paymentReversals = pgTable(
  "payment_reversals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    paymentId: uuid("payment_id")
      .notNull()
      .references(() => payments.id, { onDelete: "restrict" }),
    kind: text("kind", { enum: reversalKinds }).notNull(),
    providerReference: text("provider_reference").notNull(),
    amountCents: integer("amount_cents").notNull(),
    status: text("status", { enum: reversalStatuses }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("payment_reversals_reference_uq").on(table.paymentId, table.kind, table.providerReference),
    index("payment_reversals_payment_idx").on(table.paymentId),
    check("payment_reversals_amount_non_negative", sql`${table.amountCents} >= 0`),
  ],
);

export type PaymentReversal = typeof paymentReversals.$inferSelect;
