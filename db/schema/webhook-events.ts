import { pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/** Provider webhook events we have processed; the unique index makes a redelivery a no-op. */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    provider: text("provider", { enum: ["stripe", "paypal"] }).notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    // What the handler did (applied, ignored and why), for support reading the provider's delivery log.
    outcome: text("outcome").notNull().default(""),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("webhook_events_provider_event_uq").on(table.provider, table.eventId)],
);
