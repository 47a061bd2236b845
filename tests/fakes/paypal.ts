import { randomBytes } from "node:crypto";
import { sendJson, startFakeServer, type RecordedRequest } from "./http";

/**
 * Plays the part of PayPal's REST API that the portal calls over fetch (PAYPAL_API_BASE): the OAuth
 * client-credentials token, Orders v2 create, capture and read, and verify-webhook-signature. A webhook
 * verifies only when the request carries the event byte for byte as `sign` produced it, and the right
 * webhook id: a portal that re-serialised the event would fail here as it fails at PayPal.
 */

type Capture = { id: string; status: string; amount: { currency_code: string; value: string }; custom_id?: string };
export type FakeOrder = {
  id: string;
  status: "CREATED" | "APPROVED" | "COMPLETED";
  purchase_units: Array<{ custom_id?: string; amount: { currency_code: string; value: string }; payments?: { captures: Capture[] } }>;
  requestId?: string;
  captureRequestId?: string;
};

export type PayPalFake = {
  url: string;
  requests: RecordedRequest[];
  orders: Map<string, FakeOrder>;
  /** How many access tokens were issued (the portal should cache one). */
  tokensIssued: () => number;
  /** The status the next captures return: COMPLETED (default), PENDING or DECLINED. */
  setCaptureStatus: (status: "COMPLETED" | "PENDING" | "DECLINED") => void;
  /** While set, every API call answers this status (an outage). */
  setFailing: (status: number | null) => void;
  /**
   * Runs after an order is captured and before PayPal's answer goes back, as PayPal's own webhook can
   * race the capture call: deliver PAYMENT.CAPTURE.COMPLETED from here to order the two.
   */
  setCaptureHook: (hook: ((order: FakeOrder) => Promise<void> | void) | null) => void;
  /** Headers for a genuine delivery of `rawBody`; verification succeeds only for exactly these bytes. */
  sign: (rawBody: string) => Record<string, string>;
  close: () => Promise<void>;
};

const id = (prefix: string) => `${prefix}${randomBytes(8).toString("hex").toUpperCase()}`;

export async function startPayPalFake(options: { clientId: string; clientSecret: string; webhookId: string; port?: number }): Promise<PayPalFake> {
  const orders = new Map<string, FakeOrder>();
  const ordersByRequestId = new Map<string, FakeOrder>();
  const genuine = new Map<string, string>();
  const tokens = new Set<string>();
  let captureStatus: "COMPLETED" | "PENDING" | "DECLINED" = "COMPLETED";
  let failing: number | null = null;
  let captureHook: ((order: FakeOrder) => Promise<void> | void) | null = null;

  const server = await startFakeServer(async (request, response, body) => {
    const path = new URL(request.url ?? "/", "http://paypal.test").pathname;
    if (failing) return sendJson(response, failing, { name: "INTERNAL_SERVER_ERROR", message: "fake outage" });

    if (request.method === "POST" && path === "/v1/oauth2/token") {
      const expected = `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString("base64")}`;
      if (request.headers.authorization !== expected || body !== "grant_type=client_credentials") {
        return sendJson(response, 401, { error: "invalid_client", error_description: "Client Authentication failed" });
      }
      const token = id("A21AA");
      tokens.add(token);
      return sendJson(response, 200, { scope: "https://uri.paypal.com/services/payments", access_token: token, token_type: "Bearer", expires_in: 32400 });
    }
    const bearer = request.headers.authorization?.replace(/^Bearer /, "");
    if (!bearer || !tokens.has(bearer)) return sendJson(response, 401, { error: "invalid_token", error_description: "Token signature verification failed" });
    const requestId = request.headers["paypal-request-id"] as string | undefined;

    if (request.method === "POST" && path === "/v2/checkout/orders") {
      const existing = requestId ? ordersByRequestId.get(requestId) : undefined;
      if (existing) return sendJson(response, 201, existing);
      const input = JSON.parse(body) as { intent: string; purchase_units: FakeOrder["purchase_units"] };
      const order: FakeOrder = { id: id(""), status: "CREATED", purchase_units: input.purchase_units, requestId };
      orders.set(order.id, order);
      if (requestId) ordersByRequestId.set(requestId, order);
      return sendJson(response, 201, order);
    }
    const orderMatch = /^\/v2\/checkout\/orders\/([^/]+)(\/capture)?$/.exec(path);
    const order = orderMatch ? orders.get(decodeURIComponent(orderMatch[1]!)) : undefined;
    if (orderMatch && !order) return sendJson(response, 404, { name: "RESOURCE_NOT_FOUND", details: [{ issue: "INVALID_RESOURCE_ID" }] });
    if (request.method === "GET" && order && !orderMatch?.[2]) return sendJson(response, 200, order);
    if (request.method === "POST" && order && orderMatch?.[2]) {
      const unit = order.purchase_units[0]!;
      if (unit.payments) {
        // PayPal replays the first answer for a repeated PayPal-Request-Id; any other capture is refused.
        if (!requestId || requestId !== order.captureRequestId) return sendJson(response, 422, { name: "UNPROCESSABLE_ENTITY", details: [{ issue: "ORDER_ALREADY_CAPTURED" }] });
        return sendJson(response, 201, order);
      }
      if (captureStatus === "DECLINED") return sendJson(response, 422, { name: "UNPROCESSABLE_ENTITY", details: [{ issue: "INSTRUMENT_DECLINED" }] });
      unit.payments = { captures: [{ id: id("CAP"), status: captureStatus, amount: unit.amount, custom_id: unit.custom_id }] };
      order.status = "COMPLETED";
      order.captureRequestId = requestId;
      await captureHook?.(order);
      return sendJson(response, 201, order);
    }

    if (request.method === "POST" && path === "/v1/notifications/verify-webhook-signature") {
      const fields = JSON.parse(body) as Record<string, unknown>;
      const expected = genuine.get(String(fields.transmission_sig));
      const exact = expected !== undefined && body.includes(`"webhook_event":${expected}`);
      const success = exact && fields.webhook_id === options.webhookId && fields.auth_algo === "SHA256withRSA";
      return sendJson(response, 200, { verification_status: success ? "SUCCESS" : "FAILURE" });
    }
    sendJson(response, 404, { name: "RESOURCE_NOT_FOUND", message: `${request.method} ${path}` });
  }, options.port);

  return {
    url: server.url,
    requests: server.requests,
    orders,
    tokensIssued: () => tokens.size,
    setCaptureStatus: (status) => {
      captureStatus = status;
    },
    setFailing: (status) => {
      failing = status;
    },
    setCaptureHook: (hook) => {
      captureHook = hook;
    },
    sign: (rawBody) => {
      const signature = randomBytes(32).toString("base64");
      genuine.set(signature, rawBody);
      return {
        "paypal-auth-algo": "SHA256withRSA",
        "paypal-cert-url": "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-fake",
        "paypal-transmission-id": randomBytes(16).toString("hex"),
        "paypal-transmission-sig": signature,
        "paypal-transmission-time": new Date().toISOString(),
      };
    },
    close: server.close,
  };
}
