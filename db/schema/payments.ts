import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { creditPackages } from "./credit-packages";
import { organizations } from "./organizations";
import { users } from "./users";

export const paymentProviders = ["stripe", "paypal", "test"] as const;
export type PaymentProvider = (typeof paymentProviders)[number];
export const paymentStatuses = ["pending", "completed", "partially_refunded", "refunded", "failed", "expired"] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

/**
 * One purchase of a credit package through a provider. Credits, amount and currency are copied from our
 * package row when the payment starts, so a later price change never alters it.
 */
export const payments = pgTable(
  "payments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "restrict" }),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    packageId: uuid("package_id").references(() => creditPackages.id, { onDelete: "set null" }),
    // Kept with the payment: the package may be renamed or retired later.
    packageName: text("package_name").notNull().default(""),
    provider: text("provider", { enum: paymentProviders }).notNull(),
    // The Checkout Session or PayPal order; null only between writing the pending row and the provider's answer.
    providerPaymentId: text("provider_payment_id"),
    // What refunds and disputes point at: Stripe's payment intent, PayPal's capture.
    providerChargeId: text("provider_charge_id"),
    stripeInvoiceId: text("stripe_invoice_id"),
    status: text("status", { enum: paymentStatuses }).notNull().default("pending"),
    credits: integer("credits").notNull(),
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull().default("usd"),
    refundedCents: integer("refunded_cents").notNull().default(0),
    disputedCents: integer("disputed_cents").notNull().default(0),
    // Credits accounted as taken back by refunds and disputes: those really taken plus the shortfall.
    creditsReversed: integer("credits_reversed").notNull().default(0),
    // Credits a reversal should have taken but could not, because the balance was already spent.
    creditsShortfall: integer("credits_shortfall").notNull().default(0),
    // How many ledger rows its reversals wrote; numbers the next one's reference, `payment:<id>:reversal:<n>`.
    reversalEntries: integer("reversal_entries").notNull().default(0),
    failureReason: text("failure_reason"),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("payments_provider_payment_uq").on(table.provider, table.providerPaymentId),
    uniqueIndex("payments_provider_charge_uq").on(table.provider, table.providerChargeId),
    index("payments_organization_idx").on(table.organizationId, table.createdAt),
    check(
      "payments_amounts_valid",
      sql`${table.credits} > 0 AND ${table.amountCents} >= 0 AND ${table.refundedCents} >= 0 AND ${table.disputedCents} >= 0`,
    ),
    check(
      "payments_reversal_valid",
      sql`${table.creditsShortfall} >= 0 AND ${table.creditsShortfall} <= ${table.creditsReversed} AND ${table.creditsReversed} <= ${table.credits}`,
    ),
  ],
);

export type Payment = typeof payments.$inferSelect;
