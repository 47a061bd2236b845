import { sql } from "drizzle-orm";
import { db } from "@/db/client";

/**
 * lastUsedAt without a write per request: uses are noted in memory and written in one statement per
 * flush, at most once a minute per key. Losing the last minute of it on a crash is acceptable; it is a hint.
 */

const resolutionMs = 60_000;

type LastUsedState = { pending: Map<string, Date>; written: Map<string, number>; timer: ReturnType<typeof setTimeout> | null };

const globalForLastUsed = globalThis as typeof globalThis & { __lastUsedState?: LastUsedState };
const state = (globalForLastUsed.__lastUsedState ??= { pending: new Map(), written: new Map(), timer: null });

export function noteApiKeyUsed(keyId: string, at = Date.now()) {
  const written = state.written.get(keyId);
  if (written !== undefined && at - written < resolutionMs) return;
  state.pending.set(keyId, new Date(at));
  if (!state.timer) {
    state.timer = setTimeout(() => {
      state.timer = null;
      void flushLastUsed();
    }, 1_000);
    state.timer.unref?.();
  }
}

export async function flushLastUsed() {
  if (state.pending.size === 0) return;
  const batch = [...state.pending];
  state.pending.clear();
  for (const [keyId, at] of batch) state.written.set(keyId, at.getTime());
  try {
    await db.execute(sql`
      update api_keys set last_used_at = u.at
      from unnest(${sql.param(batch.map(([id]) => id))}::uuid[], ${sql.param(batch.map(([, at]) => at.toISOString()))}::timestamptz[]) as u(id, at)
      where api_keys.id = u.id and (api_keys.last_used_at is null or api_keys.last_used_at < u.at)`);
  } catch (error) {
    for (const [keyId] of batch) state.written.delete(keyId);
    console.error("[keys] lastUsedAt update failed:", (error as Error).message);
  }
}
