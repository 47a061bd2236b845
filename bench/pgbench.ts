import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PgDialect } from "drizzle-orm/pg-core";
import { deductionStatement } from "@/lib/credits/usage-deduction";
import { percentile, type Measurement } from "./scenarios";

/**
 * The database's own limit for the same work: pgbench running the usage deduction statement that the route
 * runs (lib/credits/usage-deduction.ts), rendered from the same builder with each parameter replaced by a
 * pgbench expression. The key is drawn from bench_keys (see fixtures.ts); the request id is unique per
 * transaction, and the usage id and body hash are derived from it, as the route derives them per report.
 */
const requestId = `('pgbench-' || :client_id || '-' || :r)`;
const sentinel = {
  keyHash: "sentinel-key-hash",
  requestId: "sentinel-request-id",
  usageId: "00000000-0000-4000-8000-000000000000",
  bodyHash: "sentinel-body-hash",
  occurredAt: new Date(0),
};

function pgbenchExpression(value: unknown): string {
  if (value === sentinel.keyHash) return "(select key_hash from bench_keys where n = :k)";
  if (value === sentinel.requestId) return requestId;
  if (value === sentinel.usageId) return `md5(${requestId})::uuid`;
  if (value === `usage:${sentinel.usageId}`) return `('usage:' || md5(${requestId})::uuid)`;
  if (value === sentinel.bodyHash) return `md5(${requestId})`;
  if (value === sentinel.occurredAt.toISOString()) return "now()";
  // The route's deadline: the statement timeout ahead of the database's clock, as the app computes it.
  if (value === deadlineSentinel) return "(clock_timestamp() + interval '5 seconds')::text";
  if (value === null) return "null";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return `'${value.replaceAll("'", "''")}'`;
  throw new Error(`No pgbench expression for the parameter ${JSON.stringify(value)}`);
}

const deadlineSentinel = "2999-12-31T00:00:00.000Z";

export function deductionScript(keyCount: number) {
  const { sql: text, params } = new PgDialect().sqlToQuery(
    deductionStatement(
      { ...sentinel, credits: 1, endpoint: "/v1/query", metadata: null },
      sentinel.usageId,
      deadlineSentinel,
    ),
  );
  // From the highest number down, so that $1 never matches the start of $10.
  let statement = text;
  for (let index = params.length; index >= 1; index--) {
    statement = statement.replaceAll(`$${index}`, pgbenchExpression(params[index - 1]));
  }
  // pgbench reads one statement per line unless told otherwise: fold it onto one line.
  return `\\set k random(1, ${keyCount})\n\\set r random(1, 1000000000000000)\n${statement.replace(/\s+/g, " ").trim()};\n`;
}

/** Runs the deduction at `clients` connections for `durationSeconds`; latencies come from pgbench's per-transaction log. */
export async function runPgbench(databaseUrl: string, keyCount: number, clients: number, durationSeconds: number): Promise<Measurement> {
  const directory = mkdtempSync(path.join(os.tmpdir(), "portal-pgbench-"));
  try {
    const scriptPath = path.join(directory, "deduction.sql");
    writeFileSync(scriptPath, deductionScript(keyCount));
    const url = new URL(databaseUrl);
    const args = [
      "-n", "-M", "prepared", "-f", scriptPath, "-c", String(clients), "-j", String(Math.min(clients, os.cpus().length)),
      "-T", String(durationSeconds), "-l", `--log-prefix=${path.join(directory, "log")}`,
      "-h", url.hostname, "-p", url.port || "5432", "-U", decodeURIComponent(url.username) || "postgres", url.pathname.slice(1),
    ];
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn("pgbench", args, { stdio: ["ignore", "pipe", "pipe"] });
      let text = "";
      child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
      child.once("error", reject);
      child.once("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`pgbench exited with ${code}:\n${text}`))));
    });
    // Log lines: client_id transaction_no time script_no time_epoch time_us; `time` is the latency in µs, or "failed".
    const latencies: number[] = [];
    let failed = 0;
    for (const file of readdirSync(directory).filter((name) => name.startsWith("log"))) {
      for (const line of readFileSync(path.join(directory, file), "utf8").split("\n")) {
        const time = line.split(" ")[2];
        if (time === undefined) continue;
        if (/^\d+$/.test(time)) latencies.push(Number(time) / 1000);
        else failed++;
      }
    }
    latencies.sort((a, b) => a - b);
    const tps = Number(/tps = ([\d.]+)/.exec(output)?.[1] ?? Number.NaN);
    return {
      scenario: "pgbench: deduction statement",
      connections: clients,
      requestsPerSecond: tps,
      eventsPerSecond: tps,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      errors: failed,
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
