import { hash, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

const base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const secretLength = 40;
export const keyStartLength = 12;

/** Base58 from the CSPRNG, by rejection sampling so that every character is equally likely. */
function randomBase58(length: number) {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 232 = 4 × 58: bytes above it would favour the first characters of the alphabet.
      if (byte < 232 && out.length < length) out += base58[byte % 58];
    }
  }
  return out;
}

export function generateApiKey() {
  const key = `${env().API_KEY_PREFIX}_${randomBase58(secretLength)}`;
  return { key, keyHash: hashApiKey(key), start: key.slice(0, keyStartLength) };
}

export function hashApiKey(key: string) {
  return hash("sha256", key);
}

/** A cheap shape check before any lookup: anything else cannot be one of our keys. */
export function looksLikeApiKey(value: string) {
  const prefix = `${env().API_KEY_PREFIX}_`;
  return value.startsWith(prefix) && value.length >= prefix.length + 32 && value.length <= 200;
}
