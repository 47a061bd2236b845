"use server";

import { revalidatePath } from "next/cache";
import { createAction, failure, success } from "@/lib/actions";
import { ApiKeyError, createApiKey, grantableScopes, revokeApiKey, rollApiKey } from "@/lib/keys";
import { createKeySchema, keyIdSchema, rollKeySchema } from "@/lib/keys/schemas";

/** What the dialogs show once: the whole key exists in this answer and nowhere else. */
export type NewKey = { name: string; key: string };

function keyFailure(error: unknown) {
  if (error instanceof ApiKeyError) {
    return error.code === "invalid_expiry" ? failure(error.message, { expiresAt: [error.message] }) : failure(error.message);
  }
  throw error;
}

// SPEC section 1: every role may manage its own organization's keys, so no `roles` here;
// the factory scopes the organization to the viewer's own.
export const createKeyAction = createAction(
  createKeySchema,
  { requireVerifiedEmail: true },
  async (input, { viewer, organization }) => {
    const allowed = grantableScopes(organization, viewer.role);
    const refused = input.scopes.filter((scope) => !allowed.includes(scope));
    if (refused.length > 0) {
      const message = `You cannot grant: ${refused.join(", ")}.`;
      return failure(message, { scopes: [message] });
    }
    try {
      const { apiKey, key } = await createApiKey({
        organizationId: organization.id,
        createdByUserId: viewer.userId,
        name: input.name,
        scopes: [...new Set(input.scopes)],
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

// Revoking needs no verified email: someone who leaked a key must always be able to stop it.
export const revokeKeyAction = createAction(keyIdSchema, {}, async ({ keyId }, { viewer, organization }) => {
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
  { requireVerifiedEmail: true },
  async ({ keyId, graceHours }, { viewer, organization }) => {
    try {
      const { apiKey, key } = await rollApiKey({ organizationId: organization.id, keyId, graceHours, actorUserId: viewer.userId });
      revalidatePath("/keys");
      return success<NewKey>({ name: apiKey.name, key });
    } catch (error) {
      return keyFailure(error);
    }
  },
);
