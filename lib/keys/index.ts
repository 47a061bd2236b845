import { and, desc, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { apiKeys, organizations, users, type ApiKey } from "@/db/schema";
import { withTransaction, type TransactionContext } from "@/db/transaction";
import { writeAudit } from "@/lib/audit";
import { mirrorKeys } from "@/lib/cache";
import { ApiKeyError } from "./errors";
import { generateApiKey, hashApiKey, looksLikeApiKey } from "./format";
import { maxGraceHours } from "./schemas";
import { keyStatus } from "./status";

export { ApiKeyError } from "./errors";
export { generateApiKey, hashApiKey, looksLikeApiKey } from "./format";
export { grantableScopes, keyStatus, type KeyStatus } from "./status";

export { maxGraceHours } from "./schemas";

export type CreateApiKeyInput = {
  organizationId: string;
  createdByUserId: string | null;
  name: string;
  scopes: string[];
  expiresAt?: Date | null;
  rateLimitPerMinute?: number | null;
};

/** Queues the Redis mirror of keys once the transaction that changed them has committed. */
export function mirrorAfterCommit(context: TransactionContext, keys: ApiKey[], organizationDisabled = false) {
  context.afterCommit(() =>
    mirrorKeys(keys.map((key) => ({ ...key, keyId: key.id, status: keyStatus(key, organizationDisabled) }))),
  );
}

async function insertKey(context: TransactionContext, input: CreateApiKeyInput) {
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
    throw new ApiKeyError("invalid_expiry", "The expiry must be in the future.");
  }
  const generated = generateApiKey();
  const [row] = await context.tx
    .insert(apiKeys)
    .values({
      organizationId: input.organizationId,
      createdByUserId: input.createdByUserId,
      name: input.name.trim(),
      keyHash: generated.keyHash,
      start: generated.start,
      scopes: input.scopes,
      expiresAt: input.expiresAt ?? null,
      rateLimitPerMinute: input.rateLimitPerMinute ?? null,
    })
    .returning();
  return { row: row!, key: generated.key };
}

/** Creates a key; the whole key is returned here and nowhere else, ever. */
export async function createApiKey(input: CreateApiKeyInput) {
  return withTransaction(async (context) => {
    const { row, key } = await insertKey(context, input);
    await writeAudit(
      { action: "api_key.created", organizationId: row.organizationId, actorUserId: input.createdByUserId, targetType: "api_key", targetId: row.id, metadata: { name: row.name, scopes: row.scopes } },
      context.tx,
    );
    mirrorAfterCommit(context, [row]);
    return { apiKey: row, key };
  });
}

async function lockKey(context: TransactionContext, organizationId: string | null, keyId: string) {
  const [row] = await context.tx
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), organizationId ? eq(apiKeys.organizationId, organizationId) : undefined))
    .for("update");
  if (!row) throw new ApiKeyError("not_found", "That API key does not exist.");
  return row;
}

/** Revokes a key for good. `organizationId` scopes the lookup to a tenant; null only for operators (CLI). */
export async function revokeApiKey(input: { organizationId: string | null; keyId: string; actorUserId: string | null }) {
  return withTransaction(async (context) => {
    const key = await lockKey(context, input.organizationId, input.keyId);
    if (key.revokedAt) return key;
    const [row] = await context.tx.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, key.id)).returning();
    await writeAudit(
      { action: "api_key.revoked", organizationId: key.organizationId, actorUserId: input.actorUserId, targetType: "api_key", targetId: key.id },
      context.tx,
    );
    mirrorAfterCommit(context, [row!]);
    return row!;
  });
}

/** A new secret for the same key; the old one keeps working for `graceHours` (0 to 24), then expires. */
export async function rollApiKey(input: { organizationId: string; keyId: string; graceHours: number; actorUserId: string | null }) {
  if (!(input.graceHours >= 0 && input.graceHours <= maxGraceHours)) {
    throw new RangeError(`The grace period must be 0 to ${maxGraceHours} hours`);
  }
  return withTransaction(async (context) => {
    const old = await lockKey(context, input.organizationId, input.keyId);
    if (keyStatus(old, false) !== "active" || old.replacedByKeyId) {
      throw new ApiKeyError("not_active", "Only an active key that has not been rolled can be rolled.");
    }
    const { row, key } = await insertKey(context, { ...old, createdByUserId: input.actorUserId });
    const graceEnd = new Date(Date.now() + input.graceHours * 3_600_000);
    const expiresAt = old.expiresAt && old.expiresAt < graceEnd ? old.expiresAt : graceEnd;
    const [updated] = await context.tx
      .update(apiKeys)
      .set({ expiresAt, replacedByKeyId: row.id })
      .where(eq(apiKeys.id, old.id))
      .returning();
    await writeAudit(
      { action: "api_key.rolled", organizationId: old.organizationId, actorUserId: input.actorUserId, targetType: "api_key", targetId: old.id, metadata: { newKeyId: row.id, graceHours: input.graceHours } },
      context.tx,
    );
    mirrorAfterCommit(context, [updated!, row]);
    return { apiKey: row, key, previous: updated! };
  });
}

/** Finds a key by the key itself or by its id (the CLI accepts either). */
export async function findApiKey(keyOrId: string) {
  const byHash = looksLikeApiKey(keyOrId);
  if (!byHash && !/^[0-9a-f-]{36}$/i.test(keyOrId)) return null;
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(byHash ? eq(apiKeys.keyHash, hashApiKey(keyOrId)) : eq(apiKeys.id, keyOrId));
  return row ?? null;
}

/** The keys page: newest first, with their creator and status. */
export async function listApiKeys(organizationId: string) {
  const rows = await db
    .select({
      key: apiKeys,
      creatorName: users.name,
      creatorEmail: users.email,
      organizationDisabled: sql<boolean>`${organizations.disabledAt} is not null`,
    })
    .from(apiKeys)
    .innerJoin(organizations, eq(organizations.id, apiKeys.organizationId))
    .leftJoin(users, eq(users.id, apiKeys.createdByUserId))
    .where(eq(apiKeys.organizationId, organizationId))
    .orderBy(desc(apiKeys.createdAt));
  const now = new Date();
  return rows.map(({ key, creatorName, creatorEmail, organizationDisabled }) => ({
    ...key,
    creator: creatorName ?? creatorEmail ?? null,
    status: keyStatus(key, organizationDisabled, now),
  }));
}
