import { hash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

const digest = (value: string) => hash("sha256", value, "buffer");

/**
 * Returns a short id of the matching service token, or null. Both sides are hashed first so that every
 * comparison is of 32 bytes, in constant time, and every configured token is compared (no early exit).
 */
export function authenticateServiceToken(header: string | null): string | null {
  const match = /^Bearer (.+)$/.exec(header ?? "");
  if (!match) return null;
  const presented = digest(match[1]!);
  let found: string | null = null;
  for (const expected of configuredDigests()) {
    if (timingSafeEqual(presented, expected.digest) && found === null) found = expected.id;
  }
  return found;
}

let configured: { tokens: readonly string[]; digests: Array<{ digest: Buffer; id: string }> } | undefined;

/** The configured tokens' digests, computed once per configuration instead of on every request. */
function configuredDigests() {
  const tokens = env().USAGE_SERVICE_TOKENS;
  if (configured?.tokens !== tokens) {
    configured = {
      tokens,
      digests: tokens.map((token) => {
        const tokenDigest = digest(token);
        return { digest: tokenDigest, id: tokenDigest.toString("hex").slice(0, 16) };
      }),
    };
  }
  return configured.digests;
}
