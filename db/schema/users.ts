import { boolean, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";

export const roles = ["user", "client_admin", "business_admin"] as const;
export type Role = (typeof roles)[number];

/** Auth.js's users table, extended with the organization, role, password and lockout state. */
export const users = pgTable(
  "users",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    name: text("name"),
    email: text("email").notNull().unique(),
    emailVerified: timestamp("email_verified", { withTimezone: true, mode: "date" }),
    image: text("image"),
    organizationId: uuid("organization_id").references(() => organizations.id, { onDelete: "restrict" }),
    role: text("role", { enum: roles }).notNull().default("user"),
    passwordHash: text("password_hash"),
    failedLoginAttempts: integer("failed_login_attempts").notNull().default(0),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    // Which optional emails this user wants; security emails (verification, reset, lockout) always go out.
    notifyLowCredit: boolean("notify_low_credit").notNull().default(true),
    notifyForecast: boolean("notify_forecast").notNull().default(true),
    notifyReceipts: boolean("notify_receipts").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("users_organization_idx").on(table.organizationId)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
