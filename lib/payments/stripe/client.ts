import Stripe from "stripe";
import { env } from "@/lib/env";
import { PaymentError } from "../errors";

const globalForStripe = globalThis as typeof globalThis & { __stripe?: { key: string; base: string; client: Stripe } };

/**
 * The Stripe SDK, pointed at STRIPE_API_BASE (its host, port and protocol become the SDK's options, so the
 * tests' local server receives every call). Retries are the SDK's own, safe because every POST we make
 * carries an idempotency key.
 */
export function getStripe(): Stripe {
  const { STRIPE_SECRET_KEY: key, STRIPE_API_BASE: base } = env();
  if (!key) throw new PaymentError("provider_not_configured", "Card payments are not set up on this deployment.");
  const cached = globalForStripe.__stripe;
  if (cached && cached.key === key && cached.base === base) return cached.client;
  const url = new URL(base);
  const protocol = url.protocol === "http:" ? "http" : "https";
  const client = new Stripe(key, {
    host: url.hostname,
    port: url.port || (protocol === "http" ? 80 : 443),
    protocol,
    maxNetworkRetries: 2,
    timeout: 15_000,
    telemetry: false,
    appInfo: { name: "credit-portal" },
  });
  globalForStripe.__stripe = { key, base, client };
  return client;
}

/** The id of an expandable field, whether Stripe sent the id or the object. */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === "string" ? value : value.id;
}

export type { Stripe };
