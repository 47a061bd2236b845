// Currencies whose smallest unit is the whole unit (Stripe's and PayPal's lists agree on these).
const zeroDecimal = new Set(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]);

function decimalsOf(currency: string) {
  return zeroDecimal.has(currency.toLowerCase()) ? 0 : 2;
}

/** 1000 cents of usd → "10.00": the decimal string PayPal's amounts are written in. */
export function toDecimalAmount(minorUnits: number, currency: string) {
  const decimals = decimalsOf(currency);
  return decimals === 0 ? String(minorUnits) : (minorUnits / 100).toFixed(2);
}

/** "10.00" usd → 1000. Parsed as a string, never through floating point, so no cent is ever lost. */
export function toMinorUnits(value: string, currency: string): number {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) throw new RangeError(`Not an amount: ${value}`);
  const decimals = decimalsOf(currency);
  const fraction = (match[2] ?? "").padEnd(decimals, "0");
  if (fraction.length > decimals && /[^0]/.test(fraction.slice(decimals))) throw new RangeError(`Too precise for ${currency}: ${value}`);
  return Number(match[1]) * 10 ** decimals + Number(fraction.slice(0, decimals) || "0");
}

/** The price of 1,000 credits in minor units, rounded to the nearest, for comparing packages. */
export function pricePerThousandCredits(pack: { credits: number; priceCents: number }) {
  return Math.round((pack.priceCents * 1000) / pack.credits);
}
