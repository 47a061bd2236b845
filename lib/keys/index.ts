import { and, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { apiKeys, nextMirrorVersion, organizations, users, type ApiKey, type Role } from "@/db/schema";
import { withTransaction, type TransactionContext } from "@/db/transaction";
import { writeAudit } from "@/lib/audit";
import { mirrorKeys } from "@/lib/cache";
import { forgetCachedKeys } from "./verify-cache";
import { ApiKeyError } from "./errors";
import { generateApiKey, hashApiKey, looksLikeApiKey } from "./format";
import { keyNameSchema, latestExpiry, maxExpiryYears, maxGraceHours } from "./schemas";
import { keyStatus, refusedScopes } from "./status";

export { ApiKeyError } from "./errors";
export { generateApiKey, hashApiKey, looksLikeApiKey } from "./format";
export { grantableScopes, keyStatus, refusedScopes, type KeyStatus } from "./status";

export { maxGraceHours } from "./schemas";

export type CreateApiKeyInput = {
  organizationId: string;
  createdByUserId: string | null;
  /** The creator's role, for the member scope rule; omitted by operators (CLI, seed), who grant like a platform admin. */
  creatorRole?: Role;
  name: string;
  scopes: string[];
  expiresAt?: Date | null;
  rateLimitPerMinute?: number | null;
};

/**
 * Queues the Redis mirror of keys once the transaction that changed them has committed. Whether each key is
 * disabled (its organization or its creator is) is required: such a key is mirrored `disabled`, never
 * `active`. The rows must be the ones the change returned: their mirror version, taken by that change, is
 * what orders this write against a sweep's or a resync's snapshot in Redis (lib/cache).
 */
export function mirrorAfterCommit(context: TransactionContext, keys: ApiKey[], disabled: boolean | ((key: ApiKey) => boolean)) {
  const isDisabled = typeof disabled === "function" ? disabled : () => disabled;
  context.afterCommit(() => {
    mirrorKeys(keys.map((key) => ({ ...key, keyId: key.id, status: keyStatus(key, isDisabled(key)) })));
    forgetCachedKeys(keys.map((key) => key.keyHash));
  });
}

/** Of these keys, the ids of those whose creator is disabled; read after the keys' rows are locked. */
async function keysOfDisabledCreators(context: TransactionContext, keys: ApiKey[]) {
  const creatorIds = [...new Set(keys.flatMap((key) => (key.createdByUserId ? [key.createdByUserId] : [])))];
  if (creatorIds.length === 0) return new Set<string>();
  const disabled = await context.tx
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, creatorIds), isNotNull(users.disabledAt)));
  const disabledIds = new Set(disabled.map((row) => row.id));
  return new Set(keys.filter((key) => key.createdByUserId && disabledIds.has(key.createdByUserId)).map((key) => key.id));
}

/**
 * For a change of the organization's own state (disabled, or enabled again), inside the transaction that
 * makes it and after its update of the organization row: every key of the organization takes a new mirror
 * version and is mirrored after commit with the status the change gives it, so the change reaches Redis at
 * once and beats any snapshot read before it. (Key changes hold the organization row in share mode, so that
 * update waits for them, and this statement then sees their keys too.)
 */
export async function remirrorOrganizationKeys(context: TransactionContext, organizationId: string, organizationDisabled: boolean) {
  const rows = await context.tx
    .update(apiKeys)
    .set({ mirrorVersion: nextMirrorVersion })
    .where(eq(apiKeys.organizationId, organizationId))
    .returning();
  // Enabling the organization leaves the keys of its disabled users disabled.
  const ofDisabledCreators = organizationDisabled ? new Set<string>() : await keysOfDisabledCreators(context, rows);
  mirrorAfterCommit(context, rows, (key) => organizationDisabled || ofDisabledCreators.has(key.id));
  return rows.length;
}

/**
 * The user-level counterpart of `remirrorOrganizationKeys`, inside the transaction that disables or enables
 * the user and after its update of the user row: every key they created takes a new mirror version and is
 * mirrored after commit, `disabled` while the user or the key's organization is.
 */
export async function remirrorUserKeys(context: TransactionContext, userId: string, userDisabled: boolean) {
  const rows = await context.tx
    .update(apiKeys)
    .set({ mirrorVersion: nextMirrorVersion })
    .where(eq(apiKeys.createdByUserId, userId))
    .returning();
  const organizationIds = [...new Set(rows.map((row) => row.organizationId))];
  const disabledOrganizations = new Set(
    organizationIds.length === 0
      ? []
      : (
          await context.tx
            .select({ id: organizations.id })
            .from(organizations)
            .where(and(inArray(organizations.id, organizationIds), isNotNull(organizations.disabledAt)))
        ).map((row) => row.id),
  );
  mirrorAfterCommit(context, rows, (key) => userDisabled || disabledOrganizations.has(key.organizationId));
  return rows.length;
}

/**
 * The organization a key change belongs to, read with a share lock: disabling it waits for this transaction,
 * and its re-mirror of the organization's keys then sees this key too (the usage deductions that also lock
 * this row wait only for this short transaction).
 */
async function lockOrganization(context: TransactionContext, organizationId: string) {
  const [organization] = await context.tx
    .select({ disabledAt: organizations.disabledAt, memberKeyScopes: organizations.memberKeyScopes })
    .from(organizations)
    .where(eq(organizations.id, organizationId))
    .for("share");
  if (!organization) throw new ApiKeyError("not_found", "That organization does not exist.");
  return organization;
}

/**
 * The key form's checks, again for callers that skip the form (CLI, scripts), so nothing Postgres cannot store
 * reaches it. Returns the trimmed name.
 */
function checkNewKey(input: Pick<CreateApiKeyInput, "name" | "expiresAt">) {
  const name = keyNameSchema.safeParse(input.name);
  if (!name.success) throw new ApiKeyError("invalid_name", name.error.issues[0]!.message);
  const expiry = input.expiresAt?.getTime();
  if (expiry === undefined) return name.data;
  if (!(expiry > Date.now())) throw new ApiKeyError("invalid_expiry", "The expiry must be in the future.");
  if (expiry > latestExpiry().getTime()) throw new ApiKeyError("invalid_expiry", `The expiry must be within ${maxExpiryYears} years.`);
  return name.data;
}

async function insertKey(context: TransactionContext, input: CreateApiKeyInput) {
  const generated = generateApiKey();
  const [row] = await context.tx
    .insert(apiKeys)
    .values({
      organizationId: input.organizationId,
      createdByUserId: input.createdByUserId,
      name: input.name,
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
  const name = checkNewKey(input);
  return withTransaction(async (context) => {
    const organization = await lockOrganization(context, input.organizationId);
    const refused = refusedScopes(organization, input.creatorRole ?? "business_admin", input.scopes);
    if (refused.length > 0) throw new ApiKeyError("invalid_scopes", `You cannot grant: ${refused.join(", ")}.`);
    const { row, key } = await insertKey(context, { ...input, name, scopes: [...new Set(input.scopes)] });
    await writeAudit(
      { action: "api_key.created", organizationId: row.organizationId, actorUserId: input.createdByUserId, targetType: "api_key", targetId: row.id, metadata: { name: row.name, scopes: row.scopes } },
      context.tx,
    );
    mirrorAfterCommit(context, [row], organization.disabledAt !== null);
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
    const [row] = await context.tx.update(apiKeys).set({ revokedAt: new Date(), mirrorVersion: nextMirrorVersion }).where(eq(apiKeys.id, key.id)).returning();
    await writeAudit(
      { action: "api_key.revoked", organizationId: key.organizationId, actorUserId: input.actorUserId, targetType: "api_key", targetId: key.id },
      context.tx,
    );
    // Revoked wins over a disabled organization, so its state does not change what is mirrored.
    mirrorAfterCommit(context, [row!], false);
    return row!;
  });
}

export type RollApiKeyInput = {
  organizationId: string;
  keyId: string;
  graceHours: number;
  actorUserId: string | null;
  /** The role of whoever rolls: a `user` may roll only a key whose scopes they may grant. Omitted by operators. */
  actorRole?: Role;
};

/** A new secret for the same key; the old one keeps working for `graceHours` (0 to 24), then expires. */
export async function rollApiKey(input: RollApiKeyInput) {
  if (!(input.graceHours >= 0 && input.graceHours <= maxGraceHours)) {
    throw new RangeError(`The grace period must be 0 to ${maxGraceHours} hours`);
  }
  return withTransaction(async (context) => {
    // The organization before the key, as creating a key locks them, so two key changes never wait in a cycle.
    const organization = await lockOrganization(context, input.organizationId);
    const old = await lockKey(context, input.organizationId, input.keyId);
    if (keyStatus(old, false) !== "active" || old.replacedByKeyId) {
      throw new ApiKeyError("not_active", "Only an active key that has not been rolled can be rolled.");
    }
    // A roll hands out a new secret with the old key's scopes: the same rule as creating it.
    const refused = refusedScopes(organization, input.actorRole ?? "business_admin", old.scopes);
    if (refused.length > 0) {
      throw new ApiKeyError("invalid_scopes", `You cannot roll this key: it grants ${refused.join(", ")}, which your organization's admins do not let members grant. Ask an admin to roll it.`);
    }
    // The same name, scopes, expiry and limit, as stored: checked when the key was created.
    const { row, key } = await insertKey(context, { ...old, createdByUserId: input.actorUserId });
    const graceEnd = new Date(Date.now() + input.graceHours * 3_600_000);
    const expiresAt = old.expiresAt && old.expiresAt < graceEnd ? old.expiresAt : graceEnd;
    const [updated] = await context.tx
      .update(apiKeys)
      .set({ expiresAt, replacedByKeyId: row.id, mirrorVersion: nextMirrorVersion })
      .where(eq(apiKeys.id, old.id))
      .returning();
    await writeAudit(
      { action: "api_key.rolled", organizationId: old.organizationId, actorUserId: input.actorUserId, targetType: "api_key", targetId: old.id, metadata: { newKeyId: row.id, graceHours: input.graceHours } },
      context.tx,
    );
    // The old key keeps its creator, who may have been disabled since; the new one is the roller's.
    const oldCreatorDisabled = (await keysOfDisabledCreators(context, [old])).size > 0;
    const organizationDisabled = organization.disabledAt !== null;
    mirrorAfterCommit(context, [updated!, row], (key) => organizationDisabled || (key.id === old.id && oldCreatorDisabled));
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
      disabled: sql<boolean>`${organizations.disabledAt} is not null or ${users.disabledAt} is not null`,
    })
    .from(apiKeys)
    .innerJoin(organizations, eq(organizations.id, apiKeys.organizationId))
    .leftJoin(users, eq(users.id, apiKeys.createdByUserId))
    .where(eq(apiKeys.organizationId, organizationId))
    .orderBy(desc(apiKeys.createdAt));
  const now = new Date();
  return rows.map(({ key, creatorName, creatorEmail, disabled }) => ({
    ...key,
    creator: creatorName ?? creatorEmail ?? null,
    status: keyStatus(key, disabled, now),
  }));
}
