/**
 * A circuit breaker for one dependency (Redis, for now). While it is closed, calls go through with a short
 * timeout. A timeout opens it at once (one costs a caller the whole wait, so a second must not be risked),
 * and so do `failureThreshold` failures in a row (a refused connection fails fast, so a few are tolerated).
 * While it is open, calls fail at once with CircuitOpenError and callers use their local fallback. After
 * `cooldownMs` one call is let through as a probe (half-open): its success closes the breaker, its failure
 * opens it for another cool-down.
 */

export type BreakerState = "closed" | "open" | "half-open";

export type Clock = {
  now(): number;
  /** Schedules `callback` after `ms`; returns a function that cancels it. */
  setTimeout(callback: () => void, ms: number): () => void;
};

export type CircuitBreakerOptions = {
  name: string;
  /** How long a call may take before it counts as a timeout (and fails). */
  timeoutMs: number;
  failureThreshold: number;
  cooldownMs: number;
  clock?: Clock;
  /** Told when the breaker opens or closes; logs by default. */
  onStateChange?: (state: "open" | "closed", name: string, reason?: string) => void;
};

export class CircuitOpenError extends Error {
  constructor(name: string) {
    super(`${name} is unavailable (circuit open)`);
    this.name = "CircuitOpenError";
  }
}

/** `name` is "TimeoutError", as for AbortSignal.timeout(), so both kinds of timeout are recognised alike. */
export class TimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TimeoutError";
  }
}

export const isTimeout = (error: unknown) => error instanceof Error && error.name === "TimeoutError";

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    // A pending timeout must not keep a CLI process or a test worker alive.
    timer.unref?.();
    return () => clearTimeout(timer);
  },
};

function logStateChange(state: "open" | "closed", name: string, reason?: string) {
  if (state === "open") console.error(`[resilience] ${name} unavailable (${reason}); using local fallbacks`);
  else console.info(`[resilience] ${name} answers again`);
}

export type CircuitBreaker = ReturnType<typeof createCircuitBreaker>;

export function createCircuitBreaker(options: CircuitBreakerOptions) {
  const clock = options.clock ?? systemClock;
  const notify = options.onStateChange ?? logStateChange;
  let failures = 0;
  let openedAt: number | null = null;
  let probing = false;

  function state(): BreakerState {
    if (openedAt === null) return "closed";
    return probing || clock.now() - openedAt >= options.cooldownMs ? "half-open" : "open";
  }

  /** True when a call would be attempted now: closed, or half-open with no probe in flight. */
  function allowsCall() {
    const current = state();
    return current === "closed" || (current === "half-open" && !probing);
  }

  function succeeded() {
    failures = 0;
    if (openedAt !== null) notify("closed", options.name);
    openedAt = null;
  }

  function failed(error: unknown) {
    failures += 1;
    if (openedAt === null && !isTimeout(error) && failures < options.failureThreshold) return;
    if (openedAt === null) notify("open", options.name, error instanceof Error ? error.message : String(error));
    openedAt = clock.now();
  }

  /**
   * Runs `operation` through the breaker; it gets an AbortSignal that fires when its time is up.
   * `evenIfOpen` tries once, with the timeout, while the breaker is open: for a last attempt that has no
   * later retry (the mirror's final flush at shutdown).
   */
  async function run<T>(
    operation: (signal: AbortSignal) => Promise<T>,
    timeoutMs = options.timeoutMs,
    { evenIfOpen = false }: { evenIfOpen?: boolean } = {},
  ): Promise<T> {
    if (!evenIfOpen && !allowsCall()) throw new CircuitOpenError(options.name);
    const isProbe = openedAt !== null;
    if (isProbe) probing = true;
    const controller = new AbortController();
    let cancelTimer = () => {};
    const timeout = new Promise<never>((_, reject) => {
      cancelTimer = clock.setTimeout(() => {
        const error = new TimeoutError(`${options.name} did not answer within ${timeoutMs} ms`);
        controller.abort(error);
        reject(error);
      }, timeoutMs);
    });
    try {
      const result = await Promise.race([operation(controller.signal), timeout]);
      succeeded();
      return result;
    } catch (error) {
      failed(error);
      throw error;
    } finally {
      cancelTimer();
      if (isProbe) probing = false;
    }
  }

  return { run, state, allowsCall };
}
