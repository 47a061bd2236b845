import { z } from "zod";
import { deductForUsageGrouped, deductUsageBatchGrouped, type Defer, type UsageDeduction, type UsageOutcome } from "@/lib/credits";
import { hashApiKey } from "@/lib/keys/format";
import { noteApiKeyUsed } from "@/lib/keys/last-used";
import { errorBody, serviceErrors } from "@/lib/service-api/errors";
import { hashUsageBody } from "./body-hash";
import { usageBatchSchema, usageEventSchema, type UsageEventInput } from "./schemas";

export type UsageAnswer = { status: number; body: Record<string, unknown> };

function toDeduction(event: UsageEventInput, receivedAt: Date, keyHash = hashApiKey(event.apiKey)): UsageDeduction {
  return {
    keyHash,
    requestId: event.requestId,
    credits: event.credits,
    endpoint: event.endpoint ?? null,
    metadata: event.metadata ?? null,
    occurredAt: event.occurredAt ? new Date(event.occurredAt) : receivedAt,
    bodyHash: hashUsageBody(event),
  };
}

/** The answer SPEC section 2 gives for one report, as the single route sends it. */
export function answerFor(outcome: UsageOutcome): UsageAnswer {
  switch (outcome.status) {
    case "applied":
    case "duplicate":
      return {
        status: 200,
        body: {
          success: true,
          remainingCredits: outcome.balance,
          usageDateTime: outcome.occurredAt.toISOString(),
          usageId: outcome.usageId,
          duplicate: outcome.status === "duplicate",
        },
      };
    case "insufficient_credits":
      return { status: 402, body: errorBody("insufficient_credits", { remainingCredits: outcome.balance }) };
    case "invalid_request": {
      // Shaped like a zod issue, so a client reads it as it reads every other invalid_request.
      const message = `The database cannot store this event's values (SQLSTATE ${outcome.sqlState}); nothing was charged.`;
      return { status: 400, body: errorBody("invalid_request", { issues: [{ code: "custom", path: [], message }] }) };
    }
    default:
      return { status: serviceErrors[outcome.status], body: errorBody(outcome.status) };
  }
}

function invalid(error: z.ZodError): UsageAnswer {
  return { status: 400, body: errorBody("invalid_request", { issues: error.issues }) };
}

/** One report's body, validated: what to deduct, or the 400 to answer. */
export function parseUsageReport(body: unknown): { deduction: UsageDeduction } | { answer: UsageAnswer } {
  const parsed = usageEventSchema.safeParse(body);
  return parsed.success ? { deduction: toDeduction(parsed.data, new Date()) } : { answer: invalid(parsed.error) };
}

/** POST /api/usage: charged alone, or grouped with the reports that arrive while another is in flight. */
export async function reportUsage(body: unknown, options: { defer?: Defer } = {}): Promise<UsageAnswer> {
  const parsed = parseUsageReport(body);
  if ("answer" in parsed) return parsed.answer;
  const outcome = await deductForUsageGrouped(parsed.deduction, options);
  noteKeysUsed([outcome]);
  return answerFor(outcome);
}

function noteKeysUsed(outcomes: UsageOutcome[]) {
  const now = Date.now();
  let previous: string | undefined;
  for (const outcome of outcomes) {
    if ((outcome.status === "applied" || outcome.status === "duplicate") && outcome.keyId !== previous) {
      previous = outcome.keyId;
      noteApiKeyUsed(outcome.keyId, now);
    }
  }
}

/** POST /api/usage/batch: each event answered on its own, in request order, invalid ones included. */
export async function reportUsageBatch(body: unknown, options: { defer?: Defer } = {}): Promise<UsageAnswer> {
  const parsed = usageBatchSchema.safeParse(body);
  if (!parsed.success) return invalid(parsed.error);
  const receivedAt = new Date();
  const events = parsed.data.events.map((event) => usageEventSchema.safeParse(event));
  // A batch names a few keys many times: each is hashed once.
  const keyHashes = new Map<string, string>();
  const hashOnce = (apiKey: string) => {
    let hash = keyHashes.get(apiKey);
    if (hash === undefined) keyHashes.set(apiKey, (hash = hashApiKey(apiKey)));
    return hash;
  };
  const valid = events.flatMap((event, index) => (event.success ? [{ index, deduction: toDeduction(event.data, receivedAt, hashOnce(event.data.apiKey)) }] : []));
  const outcomes = await deductUsageBatchGrouped(valid.map((event) => event.deduction), options);
  noteKeysUsed(outcomes);
  const byIndex = new Map(valid.map((event, position) => [event.index, outcomes[position]!]));
  const results = events.map((event, index) => {
    if (!event.success) return { index, ...errorBody("invalid_request", { issues: event.error.issues }) };
    const { body: answer } = answerFor(byIndex.get(index)!);
    return { index, ...answer };
  });
  return { status: 200, body: { results } };
}
