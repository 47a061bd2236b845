import type { LedgerReason } from "@/db/schema";

/** What every committed credit movement reports to its listeners (the Redis mirror, low-credit alerts). */
export type CreditChange = {
  organizationId: string;
  entryId: number;
  delta: number;
  previousBalance: number;
  balance: number;
  reason: LedgerReason;
};

export type CreditChangeListener = (change: CreditChange) => unknown;

const globalForHooks = globalThis as typeof globalThis & { __creditListeners?: Set<CreditChangeListener> };
const listeners = (globalForHooks.__creditListeners ??= new Set());

/** Registers a listener called after each committed movement; returns a function that removes it. */
export function onCreditsChanged(listener: CreditChangeListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function notifyCreditsChanged(changes: CreditChange[]) {
  for (const change of changes) {
    for (const listener of listeners) {
      try {
        await listener(change);
      } catch (error) {
        console.error("[credits] listener failed:", error);
      }
    }
  }
}
