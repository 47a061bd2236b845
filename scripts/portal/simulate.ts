import { randomUUID } from "node:crypto";
import { appUrl } from "@/lib/app-url";
import { env } from "@/lib/env";
import { UsageError } from "../script-runner";
import { integer, parseFlags, required } from "./args";

async function post(path: string, body: unknown) {
  const response = await fetch(appUrl(path), {
    method: "POST",
    headers: { Authorization: `Bearer ${env().USAGE_SERVICE_TOKENS[0]}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Plays the data API service against a running portal (AUTH_URL): verify, then report usage. */
export async function simulateUsage(argv: string[]) {
  const flags = parseFlags(argv, ["key", "requests", "concurrency"]);
  const apiKey = required(flags, "key");
  const requests = integer(flags, "requests", { min: 1, fallback: 10 });
  const concurrency = integer(flags, "concurrency", { min: 1, fallback: 1 });
  let verified;
  try {
    verified = await post("/api/keys/verify", { apiKey });
  } catch (error) {
    throw new UsageError(`cannot reach the portal at ${appUrl("/")} (${(error as Error).message}); start it or set AUTH_URL`);
  }
  console.log(`verify: ${verified.status} ${JSON.stringify(verified.body)}`);
  if (verified.body.valid !== true) throw new UsageError(`the key is not valid: ${String(verified.body.code)}`);
  const statuses = new Map<number, number>();
  let balance = verified.body.remainingCredits;
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      const index = next++;
      const body = { apiKey, requestId: `simulate-${randomUUID()}`, credits: 1 + (index % 5), endpoint: "/v1/query" };
      const answer = await post("/api/usage", body);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.status === 200 || answer.status === 402) balance = answer.body.remainingCredits;
      console.log(`sent ${body.requestId} credits=${body.credits} -> ${answer.status} ${answer.body.error ?? ""}`.trim());
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
  console.log(`statuses: ${[...statuses].map(([status, count]) => `${status}×${count}`).join(", ")}`);
  console.log(`final balance: ${balance}`);
}
