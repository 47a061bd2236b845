import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { users } from "./users";

/** API keys. Only the SHA-256 of the whole key is stored; `start` is its first characters, for display. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    createdByUserId: text("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    start: text("start").notNull(),
    scopes: text("scopes").array().notNull().default(sql`'{}'::text[]`),
    rateLimitPerMinute: integer("rate_limit_per_minute"),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    // Set on the old key when it is rolled; the old key keeps working until its expiresAt (the grace period).
    replacedByKeyId: uuid("replaced_by_key_id"),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    // Orders this key's writes to the Redis mirror (lib/cache): a fresh value of one sequence on insert and in
    // the same statement as every write that changes what the mirror says (revoke, roll, the organization
    // disabled or enabled). A value taken under the row's lock is larger than any taken by a write that
    // committed before, on any instance, whatever the clocks say.
    mirrorVersion: bigserial("mirror_version", { mode: "number" }).notNull(),
  },
  (table) => [
    index("api_keys_organization_idx").on(table.organizationId, table.createdAt),
    check("api_keys_rate_limit_positive", sql`${table.rateLimitPerMinute} IS NULL OR ${table.rateLimitPerMinute} > 0`),
  ],
);

/** The next mirror version, for the `set` of a write that changes a key's mirrored state. */
export const nextMirrorVersion = sql`nextval('api_keys_mirror_version_seq')`;

export type ApiKey = typeof apiKeys.$inferSelect;
export type NewApiKey = typeof apiKeys.$inferInsert;
