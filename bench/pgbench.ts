import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { percentile, type Measurement } from "./scenarios";

/**
 * The database's own limit for the same work: pgbench running the usage deduction statement of
 * lib/credits/usage-deduction.ts (deductionStatement), with pgbench variables in place of its parameters.
 * Keep the two in step. The key is drawn from bench_keys (see fixtures.ts); the request id is unique per
 * transaction, and the usage id and body hash are derived from it, as the route derives them per report.
 */
const requestId = `('pgbench-' || :client_id || '-' || :r)`;
const usageId = `md5(${requestId})::uuid`;
const script = (keyCount: number) => `\\set k random(1, ${keyCount})
\\set r random(1, 1000000000000000)
with k as (
  select id, organization_id, revoked_at, expires_at from api_keys where key_hash = (select key_hash from bench_keys where n = :k)
),
existing as (
  select id, body_hash, balance_after, occurred_at from usage_events
  where api_key_id = (select id from k) and request_id = ${requestId}::text
),
updated as (
  update organizations o set balance = o.balance - 1::bigint, updated_at = now()
  from k
  where o.id = k.organization_id and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())
    and o.balance >= 1::bigint and not exists (select 1 from existing)
  returning o.id, o.balance, o.low_credit_threshold
),
ledger as (
  insert into credit_ledger (organization_id, delta, balance_after, reason, reference)
  select id, -1::bigint, balance, 'usage', ('usage:' || ${usageId})::text from updated
  returning id
),
ev as (
  insert into usage_events (id, organization_id, api_key_id, request_id, credits, endpoint, metadata, body_hash, balance_after, occurred_at)
  select ${usageId}, updated.id, k.id, ${requestId}::text, 1::int, '/v1/query'::text, null::jsonb,
         md5(${requestId})::text, updated.balance, now()::timestamptz
  from updated, k
  returning id
)
select
  (select id from k) as key_id,
  (select organization_id from k) as organization_id,
  (select revoked_at is not null from k) as revoked,
  (select expires_at <= now() from k) as expired,
  (select id from ledger) as entry_id,
  (select balance from updated) as balance,
  (select low_credit_threshold from updated) as threshold,
  (select id from existing) as existing_id,
  (select body_hash from existing) as existing_body_hash,
  (select balance_after from existing) as existing_balance,
  (select occurred_at from existing) as existing_occurred_at,
  (select balance from organizations where id = (select organization_id from k)) as current_balance;
`;

/** Runs the deduction at `clients` connections for `durationSeconds`; latencies come from pgbench's per-transaction log. */
export async function runPgbench(databaseUrl: string, keyCount: number, clients: number, durationSeconds: number): Promise<Measurement> {
  const directory = mkdtempSync(path.join(os.tmpdir(), "portal-pgbench-"));
  try {
    const scriptPath = path.join(directory, "deduction.sql");
    writeFileSync(scriptPath, script(keyCount));
    const url = new URL(databaseUrl);
    const args = [
      "-n", "-f", scriptPath, "-c", String(clients), "-j", String(Math.min(clients, os.cpus().length)),
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
