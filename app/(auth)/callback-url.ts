const fallback = "/dashboard";
// Any origin will do: only whether the value stays on it matters.
const probeOrigin = "http://portal.invalid";
// Browsers drop tabs and newlines anywhere in a URL and read "\" as "/", so "/\t/evil" and "/\evil" are "//evil".
const unsafeCharacter = /[\u0000-\u001f\u007f\\]/;

/** The value with every percent-escape undone (a later decode must not turn it into something else), or null. */
function fullyDecoded(value: string): string | null {
  let current = value;
  for (let round = 0; round < 5; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) return current;
    current = next;
  }
  return null;
}

/**
 * Only same-site paths: an absolute or protocol-relative URL here would be an open redirect. The value is
 * kept as it is, never normalized (normalizing "/.//evil" would give "//evil"); anything that is, or could
 * become after a browser's clean-up or another decode, a URL on another host is refused.
 */
export function safeCallbackUrl(value: string | undefined | null) {
  if (!value || !value.startsWith("/") || unsafeCharacter.test(value)) return fallback;
  const decoded = fullyDecoded(value);
  if (decoded === null || unsafeCharacter.test(decoded) || decoded.startsWith("//")) return fallback;
  const resolved = new URL(value, probeOrigin);
  if (resolved.origin !== probeOrigin || resolved.pathname.startsWith("//")) return fallback;
  return value;
}
