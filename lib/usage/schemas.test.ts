import { describe, expect, it } from "vitest";
import { maxMetadataBytes, maxMetadataDepth, usageEventSchema } from "./schemas";

const base = { apiKey: "dz_live_x", requestId: "req-1", credits: 1 };
const accepts = (extra: Record<string, unknown>) => usageEventSchema.safeParse({ ...base, ...extra }).success;
const issuesOf = (extra: Record<string, unknown>) => usageEventSchema.safeParse({ ...base, ...extra }).error?.issues ?? [];

/** `{ a: { a: … 1 } }` with `levels` objects, built without recursion. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: 1 };
  for (let level = 1; level < levels; level++) value = { a: value };
  return value;
}

describe("usage event strings (SPEC section 2)", () => {
  it("refuse NUL in requestId, endpoint and every metadata key and string, arrays included", () => {
    expect(accepts({ requestId: "a\u0000b" })).toBe(false);
    expect(accepts({ endpoint: "/v1/\u0000" })).toBe(false);
    expect(accepts({ metadata: { note: "x\u0000" } })).toBe(false);
    expect(accepts({ metadata: { ["k\u0000"]: 1 } })).toBe(false);
    expect(accepts({ metadata: { list: [1, ["ok", "\u0000"]] } })).toBe(false);
    expect(accepts({ metadata: { deep: { deeper: [{ ["\u0000"]: true }] } } })).toBe(false);
  });

  it("refuse unpaired UTF-16 surrogates, high or low, and accept pairs and U+FFFD", () => {
    for (const lone of ["\ud800", "\udbff", "\udc00", "\udfff", "a\ud800b", "\udc00\ud800"]) {
      expect(accepts({ requestId: `x-${lone}` })).toBe(false);
      expect(accepts({ endpoint: lone })).toBe(false);
      expect(accepts({ metadata: { value: lone } })).toBe(false);
      expect(accepts({ metadata: { [lone]: 1 } })).toBe(false);
      expect(accepts({ metadata: { list: [lone] } })).toBe(false);
    }
    expect(accepts({ requestId: "x-\ud83d\ude00", endpoint: "/v1/\ud83d\ude00", metadata: { "\ud83d\ude00": "\ud83d\ude00" } })).toBe(true);
    expect(accepts({ requestId: "x-\ufffd", metadata: { value: "\ufffd\uffff" } })).toBe(true);
  });

  it("point the issue at the offending value", () => {
    const [issue] = issuesOf({ metadata: { outer: { list: ["fine", "bad\u0000"] } } });
    expect(issue).toMatchObject({ code: "custom", path: ["metadata", "outer", "list", 1] });
    expect(issue!.message).toMatch(/NUL|surrogate/);
  });
});

describe("usage event occurredAt", () => {
  it("is ISO 8601 from 2020-01-01T00:00:00Z to 24 hours ahead of the portal's clock", () => {
    expect(accepts({ occurredAt: "0000-01-01T00:00:00Z" })).toBe(false);
    expect(accepts({ occurredAt: "9999-12-31T23:59:59-23:59" })).toBe(false);
    expect(accepts({ occurredAt: "2019-12-31T23:59:59.999Z" })).toBe(false);
    expect(accepts({ occurredAt: "2020-01-01T00:00:00Z" })).toBe(true);
    expect(accepts({ occurredAt: "2020-01-01T05:30:00+05:30" })).toBe(true);
    expect(accepts({ occurredAt: "2020-01-01T05:29:59+05:30" })).toBe(false);
    const hour = 60 * 60 * 1000;
    expect(accepts({ occurredAt: new Date(Date.now() + 23 * hour).toISOString() })).toBe(true);
    expect(accepts({ occurredAt: new Date(Date.now() + 25 * hour).toISOString() })).toBe(false);
    expect(accepts({ occurredAt: "2026-02-30T00:00:00Z" })).toBe(false);
    expect(accepts({ occurredAt: "yesterday" })).toBe(false);
  });
});

describe("usage event metadata", () => {
  it(`is at most ${maxMetadataDepth} levels deep`, () => {
    expect(accepts({ metadata: nested(maxMetadataDepth) })).toBe(true);
    expect(accepts({ metadata: nested(maxMetadataDepth + 1) })).toBe(false);
    let inArrays: unknown = 1;
    for (let level = 1; level < maxMetadataDepth; level++) inArrays = [inArrays];
    expect(accepts({ metadata: { a: inArrays } })).toBe(true);
    expect(accepts({ metadata: { a: [inArrays] } })).toBe(false);
  });

  it("answers a 5,000- or 100,000-level nesting with an issue instead of overflowing the stack", () => {
    for (const levels of [5_000, 100_000]) {
      const parse = () => usageEventSchema.safeParse({ ...base, metadata: nested(levels) });
      expect(parse).not.toThrow();
      expect(parse().success).toBe(false);
      expect(parse().error!.issues[0]!.message).toMatch(/levels deep/);
    }
  });

  it(`is at most ${maxMetadataBytes} bytes serialized`, () => {
    const fits = { text: "x".repeat(maxMetadataBytes - '{"text":""}'.length) };
    expect(Buffer.byteLength(JSON.stringify(fits))).toBe(maxMetadataBytes);
    expect(accepts({ metadata: fits })).toBe(true);
    expect(accepts({ metadata: { text: `${fits.text}x` } })).toBe(false);
    // Bytes, not UTF-16 code units: 'é' takes two.
    expect(accepts({ metadata: { text: "é".repeat(maxMetadataBytes / 2) } })).toBe(false);
  });

  it("holds only JSON values with finite numbers", () => {
    expect(accepts({ metadata: { n: Number.MAX_VALUE, m: 5e-324, z: -0, i: -42 } })).toBe(true);
    expect(accepts({ metadata: { n: Infinity } })).toBe(false);
    expect(accepts({ metadata: { n: [NaN] } })).toBe(false);
    expect(accepts({ metadata: { n: 10n } })).toBe(false);
    expect(accepts({ metadata: { n: undefined } })).toBe(false);
    expect(accepts({ metadata: { n: new Date() } })).toBe(false);
    expect(accepts({ metadata: { n: () => 1 } })).toBe(false);
    expect(accepts({ metadata: { ok: null, yes: true, list: [], object: {} } })).toBe(true);
  });

  it("survives a cycle (only code can build one) as too deep", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => usageEventSchema.safeParse({ ...base, metadata: cyclic })).not.toThrow();
    expect(accepts({ metadata: cyclic })).toBe(false);
  });
});
