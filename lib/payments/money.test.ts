import { describe, expect, it } from "vitest";
import { pricePerThousandCredits, toDecimalAmount, toMinorUnits } from "./money";

describe("money", () => {
  it("writes minor units as PayPal's decimal strings", () => {
    expect(toDecimalAmount(1000, "usd")).toBe("10.00");
    expect(toDecimalAmount(80_000, "USD")).toBe("800.00");
    expect(toDecimalAmount(5, "eur")).toBe("0.05");
    expect(toDecimalAmount(1200, "jpy")).toBe("1200");
  });

  it("reads decimal strings back without floating point", () => {
    expect(toMinorUnits("10.00", "usd")).toBe(1000);
    expect(toMinorUnits("0.29", "usd")).toBe(29);
    expect(toMinorUnits("4.1", "usd")).toBe(410);
    expect(toMinorUnits("1200", "jpy")).toBe(1200);
    expect(toMinorUnits("19.990", "usd")).toBe(1999);
    expect(() => toMinorUnits("1.999", "usd")).toThrow(RangeError);
    expect(() => toMinorUnits("-1.00", "usd")).toThrow(RangeError);
    expect(() => toMinorUnits("1e3", "usd")).toThrow(RangeError);
  });

  it("prices 1,000 credits", () => {
    expect(pricePerThousandCredits({ credits: 1_000, priceCents: 1_000 })).toBe(1_000);
    expect(pricePerThousandCredits({ credits: 10_000, priceCents: 9_000 })).toBe(900);
    expect(pricePerThousandCredits({ credits: 100_000, priceCents: 80_000 })).toBe(800);
  });
});
