import { describe, expect, it, vi } from "vitest";
import { CircuitOpenError, createCircuitBreaker, TimeoutError, type Clock } from "./circuit-breaker";

/** A clock the test moves by hand: `advance` fires the timers that are due. No sleeps. */
function manualClock() {
  let now = 0;
  const timers = new Set<{ at: number; callback: () => void }>();
  const clock: Clock & { advance(ms: number): void } = {
    now: () => now,
    setTimeout(callback, ms) {
      const timer = { at: now + ms, callback };
      timers.add(timer);
      return () => timers.delete(timer);
    },
    advance(ms) {
      now += ms;
      for (const timer of [...timers].sort((a, b) => a.at - b.at)) {
        if (timer.at > now) continue;
        timers.delete(timer);
        timer.callback();
      }
    },
  };
  return clock;
}

function setUp() {
  const clock = manualClock();
  const changes: string[] = [];
  const breaker = createCircuitBreaker({
    name: "Redis",
    timeoutMs: 500,
    failureThreshold: 3,
    cooldownMs: 2_000,
    clock,
    onStateChange: (state) => changes.push(state),
  });
  return { clock, breaker, changes };
}

const fail = () => Promise.reject(new Error("ECONNREFUSED"));
const answer = () => Promise.resolve("PONG");
const never = () => new Promise<never>(() => {});

async function failTimes(breaker: ReturnType<typeof setUp>["breaker"], times: number) {
  for (let index = 0; index < times; index += 1) await expect(breaker.run(fail)).rejects.toThrow("ECONNREFUSED");
}

describe("the circuit breaker", () => {
  it("passes calls and their answers through while closed", async () => {
    const { breaker } = setUp();
    expect(await breaker.run(answer)).toBe("PONG");
    expect(breaker.state()).toBe("closed");
  });

  it("opens after the threshold of consecutive failures, and a success in between starts the count again", async () => {
    const { breaker, changes } = setUp();
    await failTimes(breaker, 2);
    await breaker.run(answer);
    await failTimes(breaker, 2);
    expect(breaker.state()).toBe("closed");
    await failTimes(breaker, 1);
    expect(breaker.state()).toBe("open");
    expect(changes).toEqual(["open"]);
  });

  it("opens on one timeout, and aborts the call that timed out", async () => {
    const { breaker, clock } = setUp();
    let signal: AbortSignal | undefined;
    const pending = breaker.run((given) => {
      signal = given;
      return never();
    });
    clock.advance(499);
    expect(signal!.aborted).toBe(false);
    clock.advance(1);
    await expect(pending).rejects.toBeInstanceOf(TimeoutError);
    expect(signal!.aborted).toBe(true);
    expect(breaker.state()).toBe("open");
  });

  it("treats an operation's own timeout (AbortSignal.timeout) as a timeout", async () => {
    const { breaker } = setUp();
    const timedOut = Object.assign(new Error("The operation was aborted due to timeout"), { name: "TimeoutError" });
    await expect(breaker.run(() => Promise.reject(timedOut))).rejects.toBe(timedOut);
    expect(breaker.state()).toBe("open");
  });

  it("while open, fails at once without calling the dependency", async () => {
    const { breaker, clock } = setUp();
    await failTimes(breaker, 3);
    const operation = vi.fn(answer);
    clock.advance(1_999);
    await expect(breaker.run(operation)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(operation).not.toHaveBeenCalled();
    expect(breaker.allowsCall()).toBe(false);
  });

  it("after the cool-down lets one probe through; its success closes the breaker", async () => {
    const { breaker, clock, changes } = setUp();
    await failTimes(breaker, 3);
    clock.advance(2_000);
    expect(breaker.state()).toBe("half-open");
    expect(breaker.allowsCall()).toBe(true);

    let finishProbe: (value: string) => void = () => {};
    const probe = breaker.run(() => new Promise<string>((resolve) => (finishProbe = resolve)));
    // Only one probe at a time: the others keep using their fallback.
    expect(breaker.allowsCall()).toBe(false);
    const other = vi.fn(answer);
    await expect(breaker.run(other)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(other).not.toHaveBeenCalled();

    finishProbe("PONG");
    expect(await probe).toBe("PONG");
    expect(breaker.state()).toBe("closed");
    expect(changes).toEqual(["open", "closed"]);
  });

  it("opens again for a whole cool-down when the probe fails or times out", async () => {
    const { breaker, clock } = setUp();
    await failTimes(breaker, 3);
    clock.advance(2_000);
    await expect(breaker.run(fail)).rejects.toThrow("ECONNREFUSED");
    expect(breaker.state()).toBe("open");
    clock.advance(1_999);
    expect(breaker.state()).toBe("open");
    clock.advance(1);

    const probe = breaker.run(never);
    clock.advance(500);
    await expect(probe).rejects.toBeInstanceOf(TimeoutError);
    expect(breaker.state()).toBe("open");
    clock.advance(2_000);
    expect(await breaker.run(answer)).toBe("PONG");
    expect(breaker.state()).toBe("closed");
  });

  it("takes a longer timeout for one call when asked", async () => {
    const { breaker, clock } = setUp();
    const slow = breaker.run(never, 2_000);
    clock.advance(1_000);
    expect(breaker.state()).toBe("closed");
    clock.advance(1_000);
    await expect(slow).rejects.toBeInstanceOf(TimeoutError);
    expect(breaker.state()).toBe("open");
  });

  it("tries a last call while open when asked to, and closes again if it answers", async () => {
    const { breaker } = setUp();
    await failTimes(breaker, 3);
    await expect(breaker.run(answer)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(await breaker.run(answer, 500, { evenIfOpen: true })).toBe("PONG");
    expect(breaker.state()).toBe("closed");
  });
});
