import { bigint, date, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { apiKeys } from "./api-keys";
import { organizations } from "./organizations";

/**
 * Requests and credits per organization, API key, endpoint and UTC day, kept exact by the statement that
 * inserts the usage events, so charts and totals never scan raw events. A report without an endpoint counts
 * under the empty string, which keeps the key of the row a plain primary key.
 */
export const usageDaily = pgTable(
  "usage_daily",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    apiKeyId: uuid("api_key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    endpoint: text("endpoint").notNull().default(""),
    requests: bigint("requests", { mode: "number" }).notNull(),
    credits: bigint("credits", { mode: "number" }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.organizationId, table.day, table.apiKeyId, table.endpoint] })],
);

export type UsageDailyRow = typeof usageDaily.$inferSelect;
