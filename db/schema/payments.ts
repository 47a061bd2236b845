import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { creditPackages } from "./credit-packages";
import { organizations } from "./organizations";
import { users } from "./users";

export const paymentProviders = ["stripe", "paypal", "test"] as const;
export const paymentStatuses = ["pending", "completed", "partially_refunded", "refunded", "failed"] as const;

/** One purchase of a credit package through a provider; credits come from our package row, never the client. */
export const payments = pgTable(
  "payments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "restrict" }),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    packageId: uuid("package_id").references(() => creditPackages.id, { onDelete: "set null" }),
    provider: text("provider", { enum: paymentProviders }).notNull(),
    providerPaymentId: text("provider_payment_id").notNull(),
    status: text("status", { enum: paymentStatuses }).notNull().default("pending"),
    credits: integer("credits").notNull(),
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull().default("usd"),
    refundedCents: integer("refunded_cents").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("payments_provider_payment_uq").on(table.provider, table.providerPaymentId),
    index("payments_organization_idx").on(table.organizationId, table.createdAt),
    check("payments_amounts_valid", sql`${table.credits} > 0 AND ${table.amountCents} >= 0 AND ${table.refundedCents} >= 0`),
  ],
);

export type Payment = typeof payments.$inferSelect;
