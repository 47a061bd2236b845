import { env } from "@/lib/env";

/**
 * The lockout as an unknown email (or an account without a password) sees it. A real account locks after
 * LOCKOUT_MAX_ATTEMPTS wrong passwords and says so; if other addresses kept answering "wrong password"
 * forever, the lock message would tell an attacker which addresses have accounts. So they lock too, with
 * the same count and duration, here in memory: there is no row to keep it in, and nothing is protected by
 * it, only the answers have to match. Per instance, which is enough to make a probe of one address
 * inconclusive; a restart forgets them.
 */

type DecoyState = { failures: number; lockedUntil: number | null; touchedAt: number };

// Bounded, so that trying millions of addresses cannot grow the process: the oldest entries go first.
const maxEntries = 10_000;
const idleMs = 24 * 60 * 60 * 1000;
// On globalThis: the sign-in action and Auth.js's authorize may load separate copies of this module.
const globalForDecoys = globalThis as typeof globalThis & { __decoyLockouts?: Map<string, DecoyState> };
const decoys = (globalForDecoys.__decoyLockouts ??= new Map<string, DecoyState>());

function current(email: string, now: number): DecoyState | undefined {
  const state = decoys.get(email);
  if (state && now - state.touchedAt > idleMs && (!state.lockedUntil || state.lockedUntil <= now)) {
    decoys.delete(email);
    return undefined;
  }
  return state;
}

/** The decoy lock's end for an address, if it is locked now. */
export function decoyLockedUntil(email: string, now = Date.now()): Date | null {
  const lockedUntil = current(email.toLowerCase(), now)?.lockedUntil;
  return lockedUntil && lockedUntil > now ? new Date(lockedUntil) : null;
}

/** Counts one failed attempt, as the real counter would; returns the lock's end when this one locks. */
export function recordDecoyFailure(email: string, now = Date.now()): Date | null {
  const key = email.toLowerCase();
  const { LOCKOUT_MAX_ATTEMPTS: maxAttempts, LOCKOUT_MINUTES: minutes } = env();
  const previous = current(key, now);
  // An ended lock starts a fresh count, like a real account's.
  const failures = (previous && !previous.lockedUntil ? previous.failures : 0) + 1;
  const lockedUntil = failures >= maxAttempts ? now + minutes * 60_000 : null;
  decoys.delete(key);
  decoys.set(key, { failures, lockedUntil, touchedAt: now });
  if (decoys.size > maxEntries) decoys.delete(decoys.keys().next().value!);
  return lockedUntil ? new Date(lockedUntil) : null;
}
