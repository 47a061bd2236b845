import type { LedgerReason } from "@/db/schema";

/** What every committed credit movement reports to its listeners (the Redis mirror, low-credit alerts). */
export type CreditChange = {
  organizationId: string;
  entryId: number;
  delta: number;
  previousBalance: number;
  balance: number;
  reason: LedgerReason;
  /** The organization's low-credit threshold, read by the movement itself so alerts need no query. */
  lowCreditThreshold: number;
};

export type CreditChangeListener = (change: CreditChange) => unknown;

// On globalThis and keyed by name: Next bundles instrumentation and routes separately, and dev reloads
// re-run registrations; both must end up with exactly one listener per name.
const globalForHooks = globalThis as typeof globalThis & { __creditListeners?: Map<string, CreditChangeListener> };
const listeners = (globalForHooks.__creditListeners ??= new Map());

/** Registers (or replaces) the listener with this name, called after each committed movement. */
export function onCreditsChanged(name: string, listener: CreditChangeListener): () => void {
  listeners.set(name, listener);
  return () => {
    if (listeners.get(name) === listener) listeners.delete(name);
  };
}

export async function notifyCreditsChanged(changes: CreditChange[]) {
  for (const change of changes) {
    for (const listener of listeners.values()) {
      try {
        await listener(change);
      } catch (error) {
        console.error("[credits] listener failed:", error);
      }
    }
  }
}
