import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { users } from "./users";

export const invitationRoles = ["user", "client_admin"] as const;
export type InvitationRole = (typeof invitationRoles)[number];

/**
 * An invitation to join an organization. Only the SHA-256 of its 32-byte token is stored; resending replaces
 * the hash (the old link dies). Pending = neither accepted nor cancelled; expiry is checked against now().
 */
export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    role: text("role", { enum: invitationRoles }).notNull().default("user"),
    tokenHash: text("token_hash").notNull().unique(),
    invitedByUserId: text("invited_by_user_id").references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    lastSentAt: timestamp("last_sent_at", { withTimezone: true }).notNull().defaultNow(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedByUserId: text("accepted_by_user_id").references(() => users.id, { onDelete: "set null" }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // One open invitation per address and organization: inviting again resends it.
    uniqueIndex("invitations_pending_email_uq")
      .on(table.organizationId, table.email)
      .where(sql`${table.acceptedAt} IS NULL AND ${table.cancelledAt} IS NULL`),
    index("invitations_organization_idx").on(table.organizationId, table.createdAt),
    check("invitations_role_member", sql`${table.role} IN ('user', 'client_admin')`),
    check("invitations_email_lower", sql`${table.email} = lower(${table.email})`),
  ],
);

export type Invitation = typeof invitations.$inferSelect;
