"use server";

import { revalidatePath } from "next/cache";
import { createAction, failure, success } from "@/lib/actions";
import { ApiKeyError, createApiKey, revokeApiKey, rollApiKey } from "@/lib/keys";
import { createKeySchema, keyIdSchema, rollKeySchema } from "@/lib/keys/schemas";

/** What the dialogs show once: the whole key exists in this answer and nowhere else. */
export type NewKey = { name: string; key: string };

const fieldOf: Partial<Record<ApiKeyError["code"], string>> = { invalid_name: "name", invalid_scopes: "scopes", invalid_expiry: "expiresAt" };

/** An expected refusal becomes its message, beside its field when the form has one; anything else is unexpected. */
function keyFailure(error: unknown) {
  if (!(error instanceof ApiKeyError)) throw error;
  const field = fieldOf[error.code];
  return failure(error.message, field ? { [field]: [error.message] } : undefined);
}

// SPEC section 1: every role may manage its own organization's keys (lib/auth/permissions.ts); the factory
// scopes the organization to the viewer's own.
export const createKeyAction = createAction(
  createKeySchema,
  "keys.create",
  async (input, { viewer, organization }) => {
    try {
      const { apiKey, key } = await createApiKey({
        organizationId: organization.id,
        createdByUserId: viewer.userId,
        creatorRole: viewer.role,
        name: input.name,
        scopes: input.scopes,
        expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
        rateLimitPerMinute: input.rateLimitPerMinute ?? null,
      });
      revalidatePath("/keys");
      return success<NewKey>({ name: apiKey.name, key });
    } catch (error) {
      return keyFailure(error);
    }
  },
);

// Revoking needs no verified email (the table says why). In a disabled organization the factory refuses it
// like every write; its keys are all `disabled` until it is enabled again.
export const revokeKeyAction = createAction(keyIdSchema, "keys.revoke", async ({ keyId }, { viewer, organization }) => {
  try {
    const revoked = await revokeApiKey({ organizationId: organization.id, keyId, actorUserId: viewer.userId });
    revalidatePath("/keys");
    return success({ name: revoked.name });
  } catch (error) {
    return keyFailure(error);
  }
});

export const rollKeyAction = createAction(
  rollKeySchema,
  "keys.roll",
  async ({ keyId, graceHours }, { viewer, organization }) => {
    try {
      const { apiKey, key } = await rollApiKey({
        organizationId: organization.id,
        keyId,
        graceHours,
        actorUserId: viewer.userId,
        actorRole: viewer.role,
      });
      revalidatePath("/keys");
      return success<NewKey>({ name: apiKey.name, key });
    } catch (error) {
      return keyFailure(error);
    }
  },
);
