import { pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** Auth.js's verification tokens table (required by the adapter for email providers). */
export const verificationTokens = pgTable(
  "verification_tokens",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: timestamp("expires", { withTimezone: true, mode: "date" }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.identifier, table.token] })],
);
