import { describe, expect, it } from "vitest";
import { creditsToTakeBack } from "./reversals";

describe("credits taken back after refunds and disputes (SPEC section 7)", () => {
  const payment = { credits: 1_000, amountCents: 333 };

  it("is floor(C × R / A) of the cumulative reversed amount", () => {
    expect(creditsToTakeBack(payment, 0)).toBe(0);
    expect(creditsToTakeBack(payment, 1)).toBe(3);
    expect(creditsToTakeBack(payment, 100)).toBe(300);
    expect(creditsToTakeBack(payment, 250)).toBe(750);
    expect(creditsToTakeBack(payment, 333)).toBe(1_000);
  });

  it("never takes more than the payment granted, whatever the provider reports", () => {
    expect(creditsToTakeBack(payment, 10_000)).toBe(1_000);
    expect(creditsToTakeBack({ credits: 1_000, amountCents: 0 }, 50)).toBe(0);
  });

  it("stays exact where C × R passes 2^53", () => {
    const large = { credits: 2_000_000_000, amountCents: 2_000_000_001 };
    expect(creditsToTakeBack(large, 2_000_000_000)).toBe(1_999_999_999);
  });
});
