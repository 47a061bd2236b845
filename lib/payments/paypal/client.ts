import { env } from "@/lib/env";
import { PaymentError } from "../errors";

type AccessToken = { value: string; expiresAt: number; key: string };

const globalForPayPal = globalThis as typeof globalThis & { __paypalToken?: AccessToken; __paypalTokenRequest?: Promise<AccessToken> };

// Renew this long before PayPal's expiry, so a token never expires between our check and PayPal's.
const renewBeforeMs = 5 * 60_000;
const requestTimeoutMs = 15_000;

export class PayPalApiError extends Error {
  constructor(
    readonly status: number,
    readonly issue: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = "PayPalApiError";
  }
}

/** Throws `provider_not_configured` unless PayPal's client id and secret are set. */
export function paypalCredentials() {
  const current = env();
  const clientId = current.NEXT_PUBLIC_PAYPAL_CLIENT_ID;
  const secret = current.PAYPAL_CLIENT_SECRET;
  if (!clientId || !secret) throw new PaymentError("provider_not_configured", "PayPal is not set up on this deployment.");
  return { clientId, secret, base: current.PAYPAL_API_BASE.replace(/\/$/, "") };
}

async function requestAccessToken(): Promise<AccessToken> {
  const { clientId, secret, base } = paypalCredentials();
  const response = await fetch(`${base}/v1/oauth2/token`, {
    method: "POST",
    headers: {
      Authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
    signal: AbortSignal.timeout(requestTimeoutMs),
  });
  if (!response.ok) throw new PayPalApiError(response.status, undefined, `PayPal refused the client credentials (${response.status})`);
  const body = (await response.json()) as { access_token: string; expires_in: number };
  return { value: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 - renewBeforeMs, key: `${base}|${clientId}` };
}

/** PayPal's OAuth token, cached until shortly before it expires; concurrent callers share one request. */
async function accessToken(): Promise<string> {
  const { clientId, base } = paypalCredentials();
  const cached = globalForPayPal.__paypalToken;
  if (cached && cached.key === `${base}|${clientId}` && cached.expiresAt > Date.now()) return cached.value;
  globalForPayPal.__paypalTokenRequest ??= requestAccessToken().finally(() => {
    globalForPayPal.__paypalTokenRequest = undefined;
  });
  const token = await globalForPayPal.__paypalTokenRequest;
  globalForPayPal.__paypalToken = token;
  return token.value;
}

type PayPalErrorBody = { name?: string; message?: string; details?: Array<{ issue?: string; description?: string }> };

function parseErrorBody(text: string): PayPalErrorBody {
  try {
    return JSON.parse(text) as PayPalErrorBody;
  } catch {
    return {};
  }
}

/**
 * One call to PayPal's REST API. `body` is sent as given when it is a string (the webhook check must
 * carry the event exactly as received). A 401 means the cached token was revoked: fetch a new one once.
 */
export async function paypalRequest<T>(
  path: string,
  options: { method?: "GET" | "POST"; body?: string | object; requestId?: string } = {},
  retried = false,
): Promise<T> {
  const { base } = paypalCredentials();
  const response = await fetch(`${base}${path}`, {
    method: options.method ?? "POST",
    headers: {
      Authorization: `Bearer ${await accessToken()}`,
      "Content-Type": "application/json",
      Prefer: "return=representation",
      ...(options.requestId ? { "PayPal-Request-Id": options.requestId } : {}),
    },
    body: options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body),
    signal: AbortSignal.timeout(requestTimeoutMs),
  });
  if (response.status === 401 && !retried) {
    globalForPayPal.__paypalToken = undefined;
    return paypalRequest(path, options, true);
  }
  const text = await response.text();
  if (!response.ok) {
    const error = parseErrorBody(text);
    const issue = error.details?.[0]?.issue;
    throw new PayPalApiError(response.status, issue, `PayPal ${path} answered ${response.status} ${issue ?? error.name ?? ""}`.trim());
  }
  return (text ? JSON.parse(text) : {}) as T;
}
