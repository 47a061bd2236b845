import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { PgDialect } from "drizzle-orm/pg-core";
import pg from "pg";
import { deductionStatement, type DeductionRow, type UsageDeduction } from "@/lib/credits/usage-deduction";
import { hashApiKey } from "@/lib/keys/format";
import { errorBody, serviceErrors, type ServiceErrorCode } from "@/lib/service-api/errors";
import { hashUsageBody } from "@/lib/usage/body-hash";
import { maxUsageBodyBytes } from "@/lib/usage/schemas";

/**
 * The floor without the framework: `POST /usage` on plain `node:http`, charging each report with the very
 * statement POST /api/usage runs (lib/credits/usage-deduction.ts) as a named prepared statement on a plain
 * `pg.Pool` of the app's size. What it leaves out is what the bench weighs the framework by: Next's routing,
 * zod, the rate limiter's Redis call, group commit and the after-commit listeners. The service token is still
 * checked, since a plain string comparison costs nothing. Started by bench/stack.ts with DATABASE_URL and
 * FLOOR_SERVICE_TOKEN; prints `{ url }` as one JSON line once it listens; stops on SIGTERM.
 */

const databaseUrl = process.env.DATABASE_URL;
const serviceToken = process.env.FLOOR_SERVICE_TOKEN;
if (!databaseUrl || !serviceToken) throw new Error("bench/floor-server.ts needs DATABASE_URL and FLOOR_SERVICE_TOKEN");

const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
const dialect = new PgDialect();
// The app's default DATABASE_STATEMENT_TIMEOUT_MS; the database shares this machine's clock, so no offset.
const statementTimeoutMs = 5_000;

type Answer = { status: number; body: Record<string, unknown> };

const failure = (code: ServiceErrorCode, extra?: Record<string, unknown>): Answer => ({ status: serviceErrors[code], body: errorBody(code, extra) });

const charged = (balance: string | number | null, usageId: string, occurredAt: Date | string, duplicate: boolean): Answer => ({
  status: 200,
  body: { success: true, remainingCredits: Number(balance), usageDateTime: new Date(occurredAt).toISOString(), usageId, duplicate },
});

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxUsageBodyBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The four fields the bench sends, type-checked by hand; metadata and occurredAt are not read. */
function toDeduction(text: string): UsageDeduction | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const { apiKey, requestId, credits, endpoint } = (value ?? {}) as Record<string, unknown>;
  if (typeof apiKey !== "string" || typeof requestId !== "string" || typeof credits !== "number") return undefined;
  if (!Number.isInteger(credits) || credits <= 0 || (endpoint !== undefined && typeof endpoint !== "string")) return undefined;
  return {
    keyHash: hashApiKey(apiKey),
    requestId,
    credits,
    endpoint: endpoint ?? null,
    metadata: null,
    occurredAt: new Date(),
    bodyHash: hashUsageBody({ apiKey, requestId, credits, endpoint }),
  };
}

/** The statement's row read as lib/credits/usage-deduction.ts reads it, answered with the route's statuses. */
function answerFor(usage: UsageDeduction, usageId: string, row: DeductionRow): Answer {
  if (row.key_id === null) return failure("invalid_api_key");
  if (row.existing_id !== null) {
    if (row.existing_body_hash !== usage.bodyHash) return failure("idempotency_conflict");
    return charged(row.existing_balance, row.existing_id, row.existing_occurred_at!, true);
  }
  if (row.late && row.entry_id === null) return failure("unavailable");
  if (row.revoked) return failure("revoked_api_key");
  if (row.expired) return failure("expired_api_key");
  if (row.entry_id === null) return failure("insufficient_credits", { remainingCredits: Number(row.current_balance ?? 0) });
  return charged(row.balance, usageId, usage.occurredAt, false);
}

async function reportUsage(request: IncomingMessage): Promise<Answer> {
  if (request.method !== "POST" || request.url !== "/usage") return { status: 404, body: { success: false, error: "not_found" } };
  if (request.headers.authorization !== `Bearer ${serviceToken}`) return failure("unauthorized");
  const text = await readBody(request);
  if (text === undefined) return failure("payload_too_large");
  const usage = toDeduction(text);
  if (!usage) return failure("invalid_request");
  const usageId = randomUUID();
  const deadline = new Date(Date.now() + statementTimeoutMs).toISOString();
  // Rendered per call and run under the route's statement name, as db/client.ts queryPrepared does.
  const { sql: statement, params } = dialect.sqlToQuery(deductionStatement(usage, usageId, deadline));
  const { rows } = await pool.query<DeductionRow>({ name: "usage_deduction", text: statement, values: params });
  return answerFor(usage, usageId, rows[0]!);
}

function send(response: ServerResponse, { status, body }: Answer) {
  const payload = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(payload) });
  response.end(payload);
}

const server = createServer((request, response) => {
  reportUsage(request).then(
    (answer) => send(response, answer),
    (error: unknown) => {
      console.error("[floor] the deduction failed:", error);
      send(response, failure("internal_error"));
    },
  );
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});

process.once("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  void pool.end().then(() => process.exit(0));
});
