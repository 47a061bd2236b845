import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Returns a short id of the matching service token, or null. Both sides are hashed first so that every
 * comparison is of 32 bytes, in constant time, and every configured token is compared (no early exit).
 */
export function authenticateServiceToken(header: string | null): string | null {
  const match = /^Bearer (.+)$/.exec(header ?? "");
  if (!match) return null;
  const presented = digest(match[1]!);
  let found: string | null = null;
  for (const token of env().USAGE_SERVICE_TOKENS) {
    const expected = digest(token);
    if (timingSafeEqual(presented, expected) && found === null) found = expected.toString("hex").slice(0, 16);
  }
  return found;
}
