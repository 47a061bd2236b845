import type { AnalyticsResult } from "./analytics";
import type { LedgerCheck } from "./fixtures";
import type { Measurement } from "./scenarios";

/**
 * The printed results: one table of every measurement, then the targets of issue #11 checked against them;
 * the same for the analytics section (issue #9).
 */

const liveScenario = "GET /api/health/live";

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }) : "-");

function liveFor(measurements: Measurement[], connections: number) {
  return measurements.find((row) => row.scenario === liveScenario && row.connections === connections);
}

export function formatTable(measurements: Measurement[]) {
  const header = ["scenario", "conns", "req/s", "events/s", "p50 ms", "p99 ms", "errors", "× live"];
  const rows = measurements.map((row) => {
    const live = liveFor(measurements, row.connections);
    return [
      row.scenario,
      String(row.connections),
      fixed(row.requestsPerSecond),
      row.eventsPerSecond > 0 ? fixed(row.eventsPerSecond) : "-",
      fixed(row.p50, 1),
      fixed(row.p99, 1),
      String(row.errors),
      live ? fixed(row.requestsPerSecond / live.requestsPerSecond, 2) : "-",
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ");
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}

/** "info" is a figure shown beside the targets for comparison, not one of them. */
type Target = { name: string; measured: string; met: boolean | "info" };

export function checkTargets(measurements: Measurement[]): Target[] {
  const find = (prefix: string, connections: number) => measurements.find((row) => row.scenario.startsWith(prefix) && row.connections === connections);
  const targets: Target[] = [];
  const single1 = find("POST /api/usage", 1);
  const live1 = liveFor(measurements, 1);
  const pgbench1 = find("pgbench: deduction statement", 1);
  if (single1 && live1 && pgbench1) {
    // At one connection a report costs the framework's round trip plus the database's: the composition limit.
    const composition = 1000 / (1000 / live1.requestsPerSecond + 1000 / pgbench1.requestsPerSecond);
    const ratio = single1.requestsPerSecond / composition;
    targets.push({ name: "single @1: ≥ 0.8 × composition limit", measured: `${fixed(single1.requestsPerSecond)} / ${fixed(composition)} req/s = ${fixed(ratio, 2)}`, met: ratio >= 0.8 });
    targets.push({ name: "single @1: p99 ≤ 5 ms", measured: `${fixed(single1.p99, 1)} ms`, met: single1.p99 <= 5 });
  }
  const single32 = find("POST /api/usage", 32);
  const live32 = liveFor(measurements, 32);
  if (single32 && live32) {
    const throughput = single32.requestsPerSecond / live32.requestsPerSecond;
    targets.push({ name: "single @32: ≥ 0.8 × live", measured: fixed(throughput, 2), met: throughput >= 0.8 });
    const ratio = single32.p99 / live32.p99;
    targets.push({ name: "single @32: p99 ≤ 1.5 × live's p99", measured: `${fixed(single32.p99, 1)} / ${fixed(live32.p99, 1)} ms = ${fixed(ratio, 2)}`, met: ratio <= 1.5 });
  }
  for (const [connections, single] of [[1, single1], [32, single32]] as const) {
    const floor = find("floor: node:http + pg deduction", connections);
    if (!single || !floor) continue;
    const throughput = `${fixed(single.requestsPerSecond)} / ${fixed(floor.requestsPerSecond)} req/s = ${fixed(single.requestsPerSecond / floor.requestsPerSecond, 2)}`;
    targets.push({ name: `single @${connections} vs floor`, measured: `${throughput}; p99 ${fixed(single.p99, 1)} / ${fixed(floor.p99, 1)} ms`, met: "info" });
  }
  const batches = measurements.filter((row) => row.scenario.startsWith("POST /api/usage/batch"));
  if (batches.length > 0) {
    const best = Math.max(...batches.map((row) => row.eventsPerSecond));
    targets.push({ name: "batch: ≥ 50,000 events/s", measured: fixed(best), met: best >= 50_000 });
  }
  for (const connections of [1, 32]) {
    const verify = find("POST /api/keys/verify", connections);
    const live = liveFor(measurements, connections);
    if (!verify || !live) continue;
    const ratio = verify.requestsPerSecond / live.requestsPerSecond;
    targets.push({ name: `verify @${connections}: ≥ 0.90 × live`, measured: fixed(ratio, 2), met: ratio >= 0.9 });
  }
  return targets;
}

export function formatTargets(targets: Target[]) {
  const width = Math.max(...targets.map((target) => target.name.length));
  const label = (met: Target["met"]) => (met === "info" ? "info  " : met ? "met   " : "MISSED");
  return targets.map((target) => `${label(target.met)}  ${target.name.padEnd(width)}  ${target.measured}`).join("\n");
}

export function formatLedgerCheck(check: { ok: boolean; rows: LedgerCheck[] }) {
  const lines = check.rows.map((row) => `${row.balance === row.ledger && row.balance >= 0 ? "ok " : "BAD"}  ${row.organizationId}  balance ${row.balance}  Σ ledger ${row.ledger}`);
  return [`balance = Σ ledger: ${check.ok ? "holds for every organization" : "FAILS"}`, ...lines].join("\n");
}

/** The analytics section: one line per measurement and size, then its targets (issue #9). */
export function formatAnalyticsTable(results: AnalyticsResult[]) {
  const header = ["measurement", "events", "p50 ms", "p95 ms", "rows/s", "peak RSS MB", "note"];
  const rows = results.flatMap((result) => [
    ["seed", count(result.events), "-", "-", "-", "-", `${fixed(result.seedSeconds, 1)} s, ${fixed(result.events / result.seedSeconds)} events/s`],
    ...result.pages.map((page) => [`GET ${page.path}`, count(result.events), fixed(page.p50, 1), fixed(page.p95, 1), "-", "-", page.note ?? `${page.requests} sequential requests`]),
    exportCells(result),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 || column === cells.length - 1 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ").trimEnd();
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}

function exportCells({ events, exported }: AnalyticsResult) {
  if (exported.status !== "ok") return ["GET /api/usage/export", count(events), "-", "-", "-", "-", `${exported.note} (HTTP ${exported.httpStatus})`];
  const memory = `${fixed(exported.peakTreeMb)} (server ${fixed(exported.peakServerMb)})`;
  return ["GET /api/usage/export", count(events), "-", "-", fixed(exported.rowsPerSecond), memory, `${count(exported.rows)} rows in ${fixed(exported.seconds, 1)} s; tree at rest ${fixed(exported.baselineTreeMb)} MB`];
}

const count = (value: number) => value.toLocaleString("en-US");
const pageTargetMs = 150;
const scalingLimit = 1.5;
const exportMemoryLimitMb = 200;
const seedLimitSeconds = 120;

export function checkAnalyticsTargets(results: AnalyticsResult[]): Target[] {
  const targets: Target[] = [];
  for (const result of results) {
    const size = count(result.events);
    if (result.events === 1_000_000) targets.push({ name: `seed of 1,000,000 events: ≤ ${seedLimitSeconds} s`, measured: `${fixed(result.seedSeconds, 1)} s`, met: result.seedSeconds <= seedLimitSeconds });
    for (const page of result.pages) {
      targets.push({ name: `GET ${page.path} @${size}: p95 ≤ ${pageTargetMs} ms`, measured: page.note ?? `${fixed(page.p95, 1)} ms (p50 ${fixed(page.p50, 1)})`, met: page.p95 <= pageTargetMs });
    }
    const exported = result.exported;
    targets.push(
      exported.status === "ok"
        ? { name: `export @${size}: peak RSS of the server tree < ${exportMemoryLimitMb} MB`, measured: `${fixed(exported.peakTreeMb)} MB, ${fixed(exported.rowsPerSecond)} rows/s`, met: exported.peakTreeMb < exportMemoryLimitMb }
        : { name: `export @${size}: streams the rows`, measured: `${exported.note} (HTTP ${exported.httpStatus})`, met: false },
    );
  }
  const [smallest, largest] = [results[0], results.at(-1)];
  if (smallest && largest && largest.events > smallest.events) {
    for (const [index, page] of largest.pages.entries()) {
      const base = smallest.pages[index]!;
      const ratio = page.p50 / base.p50;
      targets.push({
        name: `GET ${page.path}: p50 @${count(largest.events)} ≤ ${scalingLimit} × p50 @${count(smallest.events)}`,
        measured: Number.isFinite(ratio) ? `${fixed(page.p50, 1)} / ${fixed(base.p50, 1)} ms = ${fixed(ratio, 2)}` : "not measured",
        met: ratio <= scalingLimit,
      });
    }
  }
  return targets;
}
