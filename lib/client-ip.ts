import { isIP } from "node:net";

/**
 * Normalizes one X-Forwarded-For entry to a bare address, or null when it is not one. Proxies write
 * ports (`203.0.113.5:41234`, `[2001:db8::1]:443`) and Node reports IPv4 peers of a dual-stack socket as
 * `::ffff:203.0.113.5`; all of these must count as the same client for the per-IP limits.
 */
function normalizeAddress(entry: string): string | null {
  let value = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value);
  if (mapped) value = mapped[1]!;
  const version = isIP(value);
  if (version === 0) return null;
  return version === 6 ? value.toLowerCase() : value;
}

/**
 * The client's address from X-Forwarded-For, given how many proxies in front of us append to it
 * (TRUSTED_PROXY_COUNT, SPEC section 6). Each trusted proxy appends the peer it saw, so the entry that many
 * places from the right was written by our outermost proxy; everything left of it came from the client and
 * is never trusted. With fewer entries than proxies (a request that skipped one, e.g. a health check from
 * inside the network) the leftmost entry is still one a proxy wrote, so it is the best we know. With 0 the
 * header is ignored: Next keeps a client-sent header as it is, so nothing in it can be trusted.
 */
export function clientIpFromForwardedFor(header: string | null | undefined, trustedProxyCount: number): string | null {
  if (trustedProxyCount <= 0 || !header) return null;
  const entries = header.split(",").map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) return null;
  const index = Math.max(0, entries.length - trustedProxyCount);
  return normalizeAddress(entries[index]!);
}
