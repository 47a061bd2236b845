import { describe, expect, it } from "vitest";
import { isNeonHost } from "./client";

describe("driver choice", () => {
  it("uses the Neon driver for Neon hosts only", () => {
    expect(isNeonHost("postgres://user:pw@ep-cool-name-123456.eu-central-1.aws.neon.tech/portal")).toBe(true);
    expect(isNeonHost("postgres://postgres@127.0.0.1:5432/portal")).toBe(false);
    expect(isNeonHost("postgres://user@db.internal.example.com/neon.tech")).toBe(false);
  });
});
