import { describe, expect, it } from "vitest";
import { hashUsageBody } from "./body-hash";

const base = { apiKey: "k", requestId: "r1", credits: 3 };

describe("hashUsageBody", () => {
  it("ignores key order in metadata and the spelling of the same instant", () => {
    const a = hashUsageBody({ ...base, metadata: { a: 1, b: { c: 2, d: 3 } }, occurredAt: "2026-11-28T10:00:00Z" });
    const b = hashUsageBody({ ...base, metadata: { b: { d: 3, c: 2 }, a: 1 }, occurredAt: "2026-11-28T11:00:00.000+01:00" });
    expect(a).toBe(b);
  });

  it("tells different credits, endpoints or metadata apart", () => {
    const hash = hashUsageBody(base);
    expect(hashUsageBody({ ...base, credits: 4 })).not.toBe(hash);
    expect(hashUsageBody({ ...base, endpoint: "/v1/query" })).not.toBe(hash);
    expect(hashUsageBody({ ...base, metadata: {} })).not.toBe(hash);
  });

  it("gives the digest stored with reports already recorded: a retry of one of them must not become a 409", () => {
    const body = { ...base, endpoint: "/v1/query", metadata: { b: { d: 3, c: 2 }, a: 1 }, occurredAt: "2026-11-28T10:00:00Z" };
    expect(hashUsageBody(body)).toBe("065dd232a7f17ea43af447d0523703b7e3ccad4cea15b57fd7b490d7fc020ec0");
  });
});
