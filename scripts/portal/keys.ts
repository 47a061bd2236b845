import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { organizations } from "@/db/schema";
import { flushMirror } from "@/lib/cache";
import { resyncMirror } from "@/lib/cache/resync";
import { env } from "@/lib/env";
import { ApiKeyError, createApiKey, findApiKey, revokeApiKey } from "@/lib/keys";
import { UsageError } from "../script-runner";
import { integer, parseFlags, required, uuid } from "./args";

export async function createKey(argv: string[]) {
  const flags = parseFlags(argv, ["org", "name", "expires", "scopes", "rate-limit"]);
  const organizationId = uuid(flags, "org");
  const name = required(flags, "name");
  const all = env().API_KEY_SCOPES;
  const scopes = flags.scopes ? flags.scopes.split(",").map((scope) => scope.trim()).filter(Boolean) : all;
  const unknown = scopes.filter((scope) => !all.includes(scope));
  if (unknown.length > 0 || scopes.length === 0) throw new UsageError(`--scopes must be some of ${all.join(",")}`);
  let expiresAt: Date | null = null;
  if (flags.expires) {
    expiresAt = new Date(flags.expires);
    // createApiKey checks the range and the name (the key form's rules); its ApiKeyError is a usage error here.
    if (Number.isNaN(expiresAt.getTime())) throw new UsageError("--expires must be an ISO 8601 date");
  }
  const rateLimitPerMinute = flags["rate-limit"] ? integer(flags, "rate-limit", { min: 1 }) : null;
  const [organization] = await db
    .select({ id: organizations.id, disabledAt: organizations.disabledAt })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  if (!organization) throw new UsageError(`no organization ${organizationId}`);
  const { apiKey, key } = await createApiKey({ organizationId, createdByUserId: null, name, scopes, expiresAt, rateLimitPerMinute }).catch(
    (error: unknown) => {
      throw error instanceof ApiKeyError ? new UsageError(error.message) : error;
    },
  );
  await flushMirror();
  if (organization.disabledAt) {
    console.warn(`warning: organization ${organizationId} is disabled; the key is refused (status disabled) until it is enabled again`);
  }
  console.log(`created key ${apiKey.id} (${apiKey.start}…) scopes=${scopes.join(",")}; it is shown only now:`);
  console.log(key);
}

export async function revokeKey(argv: string[]) {
  const flags = parseFlags(argv, ["key"]);
  const found = await findApiKey(required(flags, "key"));
  if (!found) throw new UsageError("no such key (give the whole key or its id)");
  await revokeApiKey({ organizationId: null, keyId: found.id, actorUserId: null });
  await flushMirror();
  console.log(`revoked key ${found.id} (${found.start}…)`);
}

export async function resyncRedis(argv: string[]) {
  parseFlags(argv, []);
  const counts = await resyncMirror();
  console.log(`wrote ${counts.keys} keys and ${counts.balances} balances`);
}
