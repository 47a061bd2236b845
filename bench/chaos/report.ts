import type { Invariants } from "./checks";
import type { SentReport } from "./load";

export type ScenarioRow = { name: string; reports: SentReport[]; invariants: Invariants };

function percentile(sorted: number[], fraction: number) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(1)} ms`);
const mark = (ok: boolean) => (ok ? "yes" : "NO");

export function rowPasses(row: ScenarioRow) {
  // recordedDespite503 is shown, not failed on: a statement the server had already begun when it froze
  // commits when it resumes, whatever its client answered meanwhile (the retry is a duplicate, charged once).
  const { recorded, ledger, redis, mail } = row.invariants;
  return recorded.ok && ledger.ok && redis.ok && mail.ok;
}

/** One line per scenario: what the load saw, and whether each invariant held. */
export function formatChaosTable(rows: ScenarioRow[]) {
  const header = ["scenario", "statuses (attempts)", "p50", "p99", "longest wait", "acked in db, 503 not", "503, then duplicate", "balance = Σ ledger", "redis = pg (no resync)", "mail delivered", "pass"];
  const lines = rows.map((row) => {
    const attempts = row.reports.flatMap((report) => report.attempts);
    const statuses = new Map<string, number>();
    for (const entry of attempts) statuses.set(String(entry.status), (statuses.get(String(entry.status)) ?? 0) + 1);
    const latencies = attempts.map((entry) => entry.ms).sort((a, b) => a - b);
    const longest = Math.max(0, ...row.reports.map((report) => report.waitMs));
    const { recorded, recordedDespite503, ledger, redis, mail } = row.invariants;
    return [
      row.name,
      [...statuses].sort().map(([status, count]) => `${status}: ${count}`).join(", "),
      ms(percentile(latencies, 0.5)),
      ms(percentile(latencies, 0.99)),
      ms(longest),
      `${mark(recorded.ok)} (${recorded.acknowledged} acked, ${recorded.missing} missing, ${recorded.refusedButRecorded} refused but recorded)`,
      String(recordedDespite503),
      mark(ledger.ok),
      redis.ok ? `yes (${ms(redis.convergedMs ?? 0)})` : "NO",
      `${mark(mail.ok)} (${mail.delivered}/${mail.queued})`,
      mark(rowPasses(row)),
    ];
  });
  return [header, header.map(() => "---"), ...lines].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}
