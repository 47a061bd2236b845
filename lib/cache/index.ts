import { onCreditsChanged } from "@/lib/credits/hooks";
import { cacheKeys } from "./keys";
import { enqueueMirrorWrites } from "./mirror";
import type { MirrorWrite } from "./store";

export { cacheKeys } from "./keys";
export { enqueueMirrorWrites, flushMirror, mirrorWritesSent, pendingMirrorWrites } from "./mirror";
export { getCacheStore, setCacheStore, createMemoryStore, createUpstashStore, type CacheStore, type MirrorWrite } from "./store";

/** Queues the mirror of one organization's balance; `version` is the ledger entry id it reflects. */
export function mirrorBalance(organizationId: string, balance: number, version: number) {
  enqueueMirrorWrites([{ kind: "balance", key: cacheKeys.credits(organizationId), balance, version }]);
}

export type MirroredKey = {
  keyHash: string;
  keyId: string;
  organizationId: string;
  status: "active" | "revoked" | "expired" | "disabled";
  expiresAt: Date | null;
  scopes: string[];
  /** The row's `mirror_version` when `status` was read from it. */
  mirrorVersion: number;
};

/**
 * The version a key hash is written with; Redis keeps the highest (lib/cache/store.ts). Every write that
 * changes the key's row or its organization's state takes a new mirror_version, but expiry is a moment, not
 * a write. At one mirror_version the status can only go from active (or disabled) to expired as time passes,
 * never back, so the hash's version is twice the row's, plus one once the key has expired: a snapshot read
 * before the expiry loses to a write made after it, any later row version beats both, and no instance has to
 * write to Postgres when a key expires.
 */
export function keyHashVersion(key: Pick<MirroredKey, "mirrorVersion" | "status">) {
  return 2 * key.mirrorVersion + (key.status === "expired" ? 1 : 0);
}

export function mirrorKeyWrite(key: MirroredKey): MirrorWrite {
  return {
    kind: "hash",
    key: cacheKeys.apiKey(key.keyHash),
    version: keyHashVersion(key),
    fields: {
      keyId: key.keyId,
      organizationId: key.organizationId,
      status: key.status,
      expiresAt: key.expiresAt ? key.expiresAt.toISOString() : "",
      scopes: key.scopes.join(","),
    },
  };
}

export function mirrorKeys(keys: MirroredKey[]) {
  enqueueMirrorWrites(keys.map(mirrorKeyWrite));
}

/** Mirrors every committed balance change; idempotent (a named listener), called by every process that moves credits. */
export function registerMirrorListener() {
  onCreditsChanged("redis-mirror", (change) => mirrorBalance(change.organizationId, change.balance, change.entryId));
}
