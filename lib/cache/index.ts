import { onCreditsChanged } from "@/lib/credits/hooks";
import { cacheKeys } from "./keys";
import { enqueueMirrorWrites } from "./mirror";
import { getCacheStore } from "./store";

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
};

export function mirrorKeyWrite(key: MirroredKey) {
  return {
    kind: "hash" as const,
    key: cacheKeys.apiKey(key.keyHash),
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

/** For GET /api/health: true when Redis (or the in-memory store) answers. */
export async function pingCache(): Promise<boolean> {
  try {
    return await getCacheStore().ping();
  } catch {
    return false;
  }
}
