import { sql } from "drizzle-orm";
import { bigint, check, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const organizations = pgTable(
  "organizations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    // Written only by lib/credits, together with a credit_ledger row.
    balance: bigint("balance", { mode: "number" }).notNull().default(0),
    lowCreditThreshold: bigint("low_credit_threshold", { mode: "number" }).notNull().default(100),
    // Set when the low-credit alert fires; cleared when the balance rises above the threshold again (re-arm).
    lowCreditAlertedAt: timestamp("low_credit_alerted_at", { withTimezone: true }),
    zeroCreditAlertedAt: timestamp("zero_credit_alerted_at", { withTimezone: true }),
    // When the admins were last told the credits run out within days at the 7-day rate (at most once per 3 days).
    forecastAlertedAt: timestamp("forecast_alerted_at", { withTimezone: true }),
    // Scopes a member with the `user` role may grant to keys; null means every configured scope.
    memberKeyScopes: text("member_key_scopes").array(),
    // The Stripe customer that every Checkout Session of this organization reuses, so its invoices stay together.
    stripeCustomerId: text("stripe_customer_id"),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check("organizations_balance_non_negative", sql`${table.balance} >= 0`),
    check("organizations_threshold_non_negative", sql`${table.lowCreditThreshold} >= 0`),
    uniqueIndex("organizations_stripe_customer_uq").on(table.stripeCustomerId),
  ],
);

export type Organization = typeof organizations.$inferSelect;
export type NewOrganization = typeof organizations.$inferInsert;
