import { env } from "@/lib/env";
import { createRateLimiter, type RateLimiter } from "@/lib/rate-limit";

export type AuthAttempt = "sign-in" | "sign-up" | "reset" | "password-change";

const limiters = new Map<string, RateLimiter>();

function limiter(attempt: AuthAttempt, by: "ip" | "email") {
  const key = `${attempt}:${by}`;
  let existing = limiters.get(key);
  if (!existing) {
    const config = env();
    existing = createRateLimiter({
      prefix: `auth:${key}`,
      limit: by === "ip" ? config.AUTH_RATE_LIMIT_PER_IP : config.AUTH_RATE_LIMIT_PER_EMAIL,
      windowSeconds: config.AUTH_RATE_LIMIT_WINDOW_SECONDS,
    });
    limiters.set(key, existing);
  }
  return existing;
}

/** Counts one attempt against the IP and the email address; false when either is over its limit. */
export async function allowAuthAttempt(attempt: AuthAttempt, identity: { ipAddress: string | null; email: string }) {
  const [byIp, byEmail] = await Promise.all([
    identity.ipAddress ? limiter(attempt, "ip").limit(identity.ipAddress) : Promise.resolve({ success: true }),
    limiter(attempt, "email").limit(identity.email.toLowerCase()),
  ]);
  return byIp.success && byEmail.success;
}

export const rateLimitedMessage = "Too many attempts. Wait a few minutes and try again.";
