import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import { sendJson, startFakeServer, type RecordedRequest } from "./http";

/**
 * Plays the part of Stripe's API that the portal calls, for the real `stripe` SDK pointed here through
 * STRIPE_API_BASE: customers, Checkout Sessions (create with idempotency keys, retrieve) and invoices. It also
 * serves a "checkout page" for the browser tests: paying there sends the signed `checkout.session.completed`
 * to the portal's webhook and redirects to the Session's success URL, as Stripe Checkout would.
 */

export type FakeSession = {
  id: string;
  object: "checkout.session";
  mode: string;
  status: "open" | "complete" | "expired";
  payment_status: "paid" | "unpaid" | "no_payment_required";
  amount_total: number;
  currency: string;
  customer: string | null;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  payment_intent: string | null;
  invoice: string | null;
  success_url: string;
  cancel_url: string | null;
  url: string;
};

export type FakeCharge = {
  id: string;
  object: "charge";
  amount: number;
  amount_refunded: number;
  refunded: boolean;
  currency: string;
  payment_intent: string;
  metadata: Record<string, string>;
};

export type FakeDispute = {
  id: string;
  object: "dispute";
  amount: number;
  currency: string;
  charge: string;
  payment_intent: string;
  status: string;
  reason: string;
  metadata: Record<string, string>;
};

export type StripeFake = {
  url: string;
  requests: RecordedRequest[];
  sessions: Map<string, FakeSession>;
  /** The form fields of each Checkout Session create call, decoded (`line_items[0][price_data][unit_amount]` …). */
  sessionCreates: () => Array<{ fields: Record<string, string>; idempotencyKey: string | undefined }>;
  /** Marks a Session completed with the given payment status and gives it a payment intent and an invoice. */
  complete: (sessionId: string, paymentStatus?: "paid" | "unpaid") => FakeSession;
  /** A signed delivery of an event, as Stripe would POST it: body and `Stripe-Signature` header. */
  sign: (event: object) => { body: string; signature: string };
  /**
   * The charge of a completed Session as `charge.refunded` carries it: one charge id per Session, the
   * cumulative `amount_refunded`, and the `payment_intent_data[metadata]` the Session was created with.
   */
  chargeOf: (sessionId: string, amountRefunded?: number) => FakeCharge;
  /** A dispute of a completed Session's charge; like Stripe's, its own metadata is empty (it maps back by payment intent). */
  disputeOf: (sessionId: string, dispute: { id?: string; amount: number; status: string }) => FakeDispute;
  close: () => Promise<void>;
};

const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString("hex")}`;

function metadataOf(fields: Record<string, string>, prefix: string) {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    const match = new RegExp(`^${prefix.replace(/[[\]]/g, "\\$&")}\\[([^\\]]+)\\]$`).exec(key);
    if (match) metadata[match[1]!] = value;
  }
  return metadata;
}

export function stripeEvent(type: string, object: object, eventId = id("evt")) {
  return { id: eventId, object: "event", api_version: "2026-10-28.endive", created: Math.floor(Date.now() / 1000), type, livemode: false, data: { object } };
}

export async function startStripeFake(options: { webhookSecret: string; webhookUrl?: string; port?: number }): Promise<StripeFake> {
  const sessions = new Map<string, FakeSession>();
  const paymentIntentMetadata = new Map<string, Record<string, string>>();
  const chargeIds = new Map<string, string>();
  const byIdempotencyKey = new Map<string, unknown>();
  const signer = new Stripe("sk_test_fake", { telemetry: false });
  let baseUrl = "";

  const sign = (event: object) => {
    const body = JSON.stringify(event, null, 2);
    return { body, signature: signer.webhooks.generateTestHeaderString({ payload: body, secret: options.webhookSecret }) };
  };

  const complete = (sessionId: string, paymentStatus: "paid" | "unpaid" = "paid") => {
    const session = sessions.get(sessionId);
    if (!session) throw new Error(`no session ${sessionId}`);
    session.status = "complete";
    session.payment_status = paymentStatus;
    session.payment_intent ??= id("pi");
    session.invoice ??= id("in");
    return session;
  };

  const paidSession = (sessionId: string) => {
    const session = sessions.get(sessionId);
    if (!session?.payment_intent) throw new Error(`session ${sessionId} has no payment intent: complete it first`);
    if (!chargeIds.has(sessionId)) chargeIds.set(sessionId, id("ch"));
    return { session, paymentIntent: session.payment_intent, chargeId: chargeIds.get(sessionId)! };
  };

  const chargeOf = (sessionId: string, amountRefunded = 0): FakeCharge => {
    const { session, paymentIntent, chargeId } = paidSession(sessionId);
    return {
      id: chargeId,
      object: "charge",
      amount: session.amount_total,
      amount_refunded: amountRefunded,
      refunded: amountRefunded >= session.amount_total,
      currency: session.currency,
      payment_intent: paymentIntent,
      metadata: { ...paymentIntentMetadata.get(sessionId) },
    };
  };

  const disputeOf = (sessionId: string, dispute: { id?: string; amount: number; status: string }): FakeDispute => {
    const { session, paymentIntent, chargeId } = paidSession(sessionId);
    return {
      id: dispute.id ?? id("dp"),
      object: "dispute",
      amount: dispute.amount,
      currency: session.currency,
      charge: chargeId,
      payment_intent: paymentIntent,
      status: dispute.status,
      reason: "fraudulent",
      metadata: {},
    };
  };

  const idempotent = (key: string | undefined, create: () => unknown) => {
    if (!key) return create();
    if (!byIdempotencyKey.has(key)) byIdempotencyKey.set(key, create());
    return byIdempotencyKey.get(key);
  };

  const server = await startFakeServer(async (request, response, body) => {
    const url = new URL(request.url ?? "/", baseUrl);
    const fields = Object.fromEntries(new URLSearchParams(body));
    const key = request.headers["idempotency-key"] as string | undefined;
    const authorized = request.headers.authorization?.startsWith("Bearer sk_");
    if (url.pathname.startsWith("/v1/") && !authorized) return sendJson(response, 401, { error: { type: "invalid_request_error", message: "No API key" } });

    if (request.method === "POST" && url.pathname === "/v1/customers") {
      return sendJson(response, 200, idempotent(key, () => ({ id: id("cus"), object: "customer", email: fields.email ?? null, name: fields.name ?? null, metadata: metadataOf(fields, "metadata") })));
    }
    if (request.method === "POST" && url.pathname === "/v1/checkout/sessions") {
      const session = idempotent(key, () => {
        const created: FakeSession = {
          id: id("cs"),
          object: "checkout.session",
          mode: fields.mode ?? "payment",
          status: "open",
          payment_status: "unpaid",
          amount_total: Number(fields["line_items[0][price_data][unit_amount]"]) * Number(fields["line_items[0][quantity]"] ?? 1),
          currency: fields["line_items[0][price_data][currency]"] ?? "usd",
          customer: fields.customer ?? null,
          client_reference_id: fields.client_reference_id ?? null,
          metadata: metadataOf(fields, "metadata"),
          payment_intent: null,
          invoice: null,
          success_url: fields.success_url ?? "",
          cancel_url: fields.cancel_url ?? null,
          url: "",
        };
        created.url = `${baseUrl}/checkout/${created.id}`;
        sessions.set(created.id, created);
        paymentIntentMetadata.set(created.id, metadataOf(fields, "payment_intent_data[metadata]"));
        return created;
      });
      return sendJson(response, 200, session);
    }
    const sessionMatch = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(url.pathname);
    if (request.method === "GET" && sessionMatch) {
      const session = sessions.get(decodeURIComponent(sessionMatch[1]!));
      if (!session) return sendJson(response, 404, { error: { type: "invalid_request_error", code: "resource_missing", message: "No such checkout.session" } });
      return sendJson(response, 200, session);
    }
    const invoiceMatch = /^\/v1\/invoices\/([^/]+)$/.exec(url.pathname);
    if (request.method === "GET" && invoiceMatch) {
      const invoiceId = decodeURIComponent(invoiceMatch[1]!);
      return sendJson(response, 200, { id: invoiceId, object: "invoice", hosted_invoice_url: `${baseUrl}/invoices/${invoiceId}`, invoice_pdf: `${baseUrl}/invoices/${invoiceId}.pdf` });
    }

    // The browser-facing checkout page.
    const pageMatch = /^\/checkout\/([^/]+)(\/pay)?$/.exec(url.pathname);
    const pageSession = pageMatch ? sessions.get(decodeURIComponent(pageMatch[1]!)) : undefined;
    if (pageMatch && !pageSession) {
      response.writeHead(404, { "content-type": "text/html" });
      return response.end("<h1>No such Checkout Session</h1>");
    }
    if (request.method === "GET" && pageSession) {
      const amount = (pageSession.amount_total / 100).toFixed(2);
      response.writeHead(200, { "content-type": "text/html" });
      return response.end(
        `<!doctype html><title>Stripe Checkout (test)</title><h1>Pay ${pageSession.currency.toUpperCase()} ${amount}</h1>` +
          `<form method="post" action="/checkout/${pageSession.id}/pay"><button type="submit">Pay $${amount}</button></form>`,
      );
    }
    if (request.method === "POST" && pageSession && pageMatch?.[2]) {
      const session = complete(pageSession.id);
      if (options.webhookUrl) {
        const delivery = sign(stripeEvent("checkout.session.completed", session));
        await fetch(options.webhookUrl, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": delivery.signature }, body: delivery.body });
      }
      response.writeHead(303, { location: session.success_url.replace("{CHECKOUT_SESSION_ID}", session.id) });
      return response.end();
    }
    sendJson(response, 404, { error: { type: "invalid_request_error", message: `Unrecognized request URL (${request.method}: ${url.pathname})` } });
  }, options.port);
  baseUrl = server.url;

  return {
    url: server.url,
    requests: server.requests,
    sessions,
    sessionCreates: () =>
      server.requests
        .filter((request) => request.method === "POST" && request.path === "/v1/checkout/sessions")
        .map((request) => ({ fields: Object.fromEntries(new URLSearchParams(request.body)), idempotencyKey: request.headers["idempotency-key"] as string | undefined })),
    complete,
    sign,
    chargeOf,
    disputeOf,
    close: server.close,
  };
}
