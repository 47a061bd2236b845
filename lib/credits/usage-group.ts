import { deductUsageBatch } from "./usage-batch";
import { deductForUsage, type Defer, type UsageDeduction, type UsageOutcome } from "./usage-deduction";

/**
 * Group commit for usage reports, single and batched. A report that finds no deduction of this process in
 * flight goes to the database at once, as it always did: at one connection nothing waits. Reports that arrive
 * while one is in flight queue, and when it returns the whole queue goes as one batch
 * (lib/credits/usage-batch.ts), whose in-order, per-organization decisions give each report the answer it
 * would have had alone, after the reports queued before it. One statement for many reports: one commit, one
 * round of row locks, instead of one each. Only when the queue holds a large batch's worth of events do more
 * statements go out while one is in flight (see `maxStatementsInFlight`); those are ordered by the row locks
 * they take, so batches sent concurrently are charged in some serial order, not necessarily their arrival
 * order (SPEC section 2 promises order only within a batch). The batch is all or nothing, so a failure (an
 * outage, a deadline) fails every report in it and records none of them, and the reports queued behind it
 * fail with it; an event the database refuses on its values is split out by the batch alone.
 */

type Waiting = { usages: UsageDeduction[]; defer?: Defer; resolve: (outcomes: UsageOutcome[]) => void; reject: (error: unknown) => void };
type GroupState = { inFlight: number; queue: Waiting[]; queuedEvents: number };

// The batch route's own limit: a statement of this size is what the batch path is measured with. A batch
// request of that size goes alone; smaller ones share a statement up to it.
const maxGroupEvents = 1_000;

const globalForGroups = globalThis as typeof globalThis & { __usageGroups?: GroupState };
const state = (globalForGroups.__usageGroups ??= { inFlight: 0, queue: [], queuedEvents: 0 });

// Up to three statements at a time once the queue holds at least half a full statement: while one holds its
// organizations' row locks, the next is bound and waiting for them and a third is on its way, so the
// database does not wait on this process between two big groups. (At 32 connections of 500-event batches,
// one at a time gave 37,000 events/s, two 44,000, three 46,600, four no more.) Small groups of single
// reports go one at a time: split into more statements they would only queue on each other's row locks.
const maxStatementsInFlight = 3;
const pipelineFromEvents = maxGroupEvents / 2;

/** How many reports went out in groups, and how many groups (tests show a group really formed). */
export const usageGroupStats = { groups: 0, groupedReports: 0 };

/** Follow-ups of a group run after one of its responses, as a single report's run after its own. */
function lastDefer(group: Waiting[]): Defer | undefined {
  for (let index = group.length - 1; index >= 0; index--) if (group[index]!.defer) return group[index]!.defer;
  return undefined;
}

/** The queue's head, as many requests as fit in one statement (always at least one). */
function takeGroup() {
  let events = 0;
  let count = 0;
  while (count < state.queue.length && (count === 0 || events + state.queue[count]!.usages.length <= maxGroupEvents)) {
    events += state.queue[count]!.usages.length;
    count += 1;
  }
  state.queuedEvents -= events;
  return state.queue.splice(0, count);
}

function mayStartStatement() {
  if (state.queue.length === 0) return false;
  return state.inFlight === 0 || (state.inFlight < maxStatementsInFlight && state.queuedEvents >= pipelineFromEvents);
}

function sendGroups() {
  while (mayStartStatement()) sendGroup();
}

function sendGroup() {
  const group = takeGroup();
  state.inFlight += 1;
  const defer = lastDefer(group);
  const usages = group.flatMap((waiting) => waiting.usages);
  const deduction =
    usages.length === 1 ? deductForUsage(usages[0]!, { defer }).then((outcome) => [outcome]) : deductUsageBatch(usages, { defer });
  if (group.length > 1) {
    usageGroupStats.groups += 1;
    usageGroupStats.groupedReports += group.length;
  }
  deduction
    .then(
      (outcomes) => {
        let offset = 0;
        for (const waiting of group) {
          waiting.resolve(outcomes.slice(offset, offset + waiting.usages.length));
          offset += waiting.usages.length;
        }
      },
      (error: unknown) => {
        // Events the database refuses on their values come back as outcomes: a rejection is the database
        // failing (down, stalled, past a deadline). The reports that queued meanwhile fail with it, unsent,
        // instead of each waiting out a timeout of its own behind it.
        state.queuedEvents = 0;
        for (const waiting of [...group, ...state.queue.splice(0)]) waiting.reject(error);
      },
    )
    .finally(() => {
      state.inFlight -= 1;
      sendGroups();
    });
}

function enqueue(usages: UsageDeduction[], defer: Defer | undefined) {
  return new Promise<UsageOutcome[]>((resolve, reject) => {
    state.queue.push({ usages, defer, resolve, reject });
    state.queuedEvents += usages.length;
    sendGroups();
  });
}

/** Charges one usage report like `deductForUsage`, grouped with those that arrive while another is in flight. */
export async function deductForUsageGrouped(usage: UsageDeduction, options: { defer?: Defer } = {}): Promise<UsageOutcome> {
  const [outcome] = await enqueue([usage], options.defer);
  return outcome!;
}

/** Charges a batch like `deductUsageBatch`, in one statement with the reports queued beside it. */
export async function deductUsageBatchGrouped(usages: UsageDeduction[], options: { defer?: Defer } = {}): Promise<UsageOutcome[]> {
  return usages.length === 0 ? [] : enqueue(usages, options.defer);
}
