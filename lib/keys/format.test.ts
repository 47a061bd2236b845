import { describe, expect, it } from "vitest";
import { generateApiKey, hashApiKey, looksLikeApiKey } from "./format";

describe("API key format", () => {
  it("is the prefix and at least 32 base58 characters, stored as its SHA-256 and first 12 characters", () => {
    const { key, keyHash, start } = generateApiKey();
    expect(key).toMatch(/^dz_live_[1-9A-HJ-NP-Za-km-z]{32,}$/);
    expect(keyHash).toBe(hashApiKey(key));
    expect(keyHash).toMatch(/^[0-9a-f]{64}$/);
    // SPEC sections 3 and 4: the SHA-256 hex of the whole key, which the data API computes to find it in Redis.
    expect(hashApiKey("dz_live_example")).toBe("4ddd9e7de4925dd09f0194aa5d014b6ed08c5361719f9af30c26388423d80204");
    expect(start).toBe(key.slice(0, 12));
    expect(looksLikeApiKey(key)).toBe(true);
    expect(looksLikeApiKey("dz_live_short")).toBe(false);
  });

  it("never repeats", () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateApiKey().key));
    expect(keys.size).toBe(1000);
  });
});
