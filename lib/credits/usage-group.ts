import { deductUsageBatch } from "./usage-batch";
import { deductForUsage, type Defer, type UsageDeduction, type UsageOutcome } from "./usage-deduction";

/**
 * Group commit for single usage reports. A report that finds no deduction of this process in flight goes to
 * the database at once, alone, as it always did: at one connection nothing waits. Reports that arrive while
 * one is in flight queue, and when it returns the whole queue goes as one batch (lib/credits/usage-batch.ts),
 * whose in-order, per-organization decisions give each report the answer it would have had alone, after the
 * reports queued before it. One transaction for many reports: one commit, one round of row locks, instead of
 * one each. The batch is all or nothing, so a failure (an outage, a deadline) fails every report in it and
 * records none of them, and the reports queued behind it fail with it; an event the database refuses on its
 * values is split out by the batch alone.
 */

type Waiting = { usage: UsageDeduction; defer?: Defer; resolve: (outcome: UsageOutcome) => void; reject: (error: unknown) => void };
type GroupState = { inFlight: boolean; queue: Waiting[] };

// The batch route's own limit: a statement of this size is what the batch path is measured with.
const maxGroupSize = 1_000;

const globalForGroups = globalThis as typeof globalThis & { __usageGroups?: GroupState };
const state = (globalForGroups.__usageGroups ??= { inFlight: false, queue: [] });

/** How many reports went out in groups, and how many groups (tests show a group really formed). */
export const usageGroupStats = { groups: 0, groupedReports: 0 };

/** Follow-ups of a group run after one of its responses, as a single report's run after its own. */
function lastDefer(group: Waiting[]): Defer | undefined {
  for (let index = group.length - 1; index >= 0; index--) if (group[index]!.defer) return group[index]!.defer;
  return undefined;
}

function sendNextGroup() {
  if (state.inFlight || state.queue.length === 0) return;
  const group = state.queue.splice(0, maxGroupSize);
  state.inFlight = true;
  const defer = lastDefer(group);
  const deduction =
    group.length === 1
      ? deductForUsage(group[0]!.usage, { defer }).then((outcome) => [outcome])
      : deductUsageBatch(group.map((waiting) => waiting.usage), { defer });
  if (group.length > 1) {
    usageGroupStats.groups += 1;
    usageGroupStats.groupedReports += group.length;
  }
  deduction
    .then(
      (outcomes) => group.forEach((waiting, index) => waiting.resolve(outcomes[index]!)),
      (error: unknown) => {
        // Events the database refuses on their values come back as outcomes: a rejection is the database
        // failing (down, stalled, past a deadline). The reports that queued meanwhile fail with it, unsent,
        // instead of each waiting out a timeout of its own behind it.
        for (const waiting of [...group, ...state.queue.splice(0)]) waiting.reject(error);
      },
    )
    .finally(() => {
      state.inFlight = false;
      sendNextGroup();
    });
}

/** Charges one usage report like `deductForUsage`, grouped with those that arrive while another is in flight. */
export function deductForUsageGrouped(usage: UsageDeduction, options: { defer?: Defer } = {}): Promise<UsageOutcome> {
  return new Promise((resolve, reject) => {
    state.queue.push({ usage, defer: options.defer, resolve, reject });
    sendNextGroup();
  });
}
