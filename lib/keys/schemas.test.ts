import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createKeySchema, latestExpiry, maxExpiryYears } from "./schemas";

const base = { name: "Production", scopes: ["query"] };
const expiryErrors = (expiresAt: string) => {
  const result = createKeySchema.safeParse({ ...base, expiresAt });
  return result.success ? [] : z.flattenError(result.error).fieldErrors.expiresAt;
};
const inYears = (years: number) => {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date;
};

describe("createKeySchema expiresAt", () => {
  it("accepts an instant in the future, up to ten years ahead", () => {
    expect(expiryErrors(new Date(Date.now() + 3_600_000).toISOString())).toEqual([]);
    expect(expiryErrors(new Date(inYears(maxExpiryYears).getTime() - 60_000).toISOString())).toEqual([]);
    expect(createKeySchema.safeParse(base).success).toBe(true);
  });

  it.each([
    ["year 0001", "0001-01-01T00:00:00Z", "Choose a time in the future."],
    ["year 0000", "0000-01-01T00:00:00Z", "Choose a time in the future."],
    ["the past", "2020-01-01T10:00:00Z", "Choose a time in the future."],
    ["year 9999", "9999-12-31T23:59:00Z", `Choose a time within ${maxExpiryYears} years.`],
    // A valid-looking ISO string whose offset carries it into year 10000, which Postgres cannot take from JS.
    ["an offset into year 10000", "9999-12-31T23:59:59-23:59", `Choose a time within ${maxExpiryYears} years.`],
    ["eleven years ahead", inYears(11).toISOString(), `Choose a time within ${maxExpiryYears} years.`],
    ["year 275760 (the largest JS date)", "+275760-09-13T00:00:00Z", "Enter a valid date and time."],
    ["year 275760 as a datetime-local value", "275760-01-01T10:00", "Enter a valid date and time."],
    ["30 February", "2030-02-30T00:00:00Z", "Enter a valid date and time."],
    ["no offset", "2030-01-01T00:00:00", "Enter a valid date and time."],
    ["not a date", "tomorrow", "Enter a valid date and time."],
  ])("refuses %s with one field error", (_label, value, message) => {
    expect(expiryErrors(value)).toEqual([message]);
  });

  it("measures ten years from now, in UTC", () => {
    const now = new Date("2026-02-28T12:00:00Z");
    expect(latestExpiry(now).toISOString()).toBe("2036-02-28T12:00:00.000Z");
  });
});
