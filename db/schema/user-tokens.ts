import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";

export const userTokenPurposes = ["verify_email", "reset_password"] as const;
export type UserTokenPurpose = (typeof userTokenPurposes)[number];

/** Single-use email verification and password reset tokens; only the SHA-256 of the token is stored. */
export const userTokens = pgTable(
  "user_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: userTokenPurposes }).notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("user_tokens_user_idx").on(table.userId, table.purpose)],
);

export type UserToken = typeof userTokens.$inferSelect;
