/**
 * Where the seeded usage events fall in time, decided before any SQL runs: how many events each of the
 * last 90 UTC days gets (a growing trend, quieter weekends, some day-to-day noise), and the slices of that
 * plan that one statement writes. Event `i` (0-based, in time order) lies inside its day at an even
 * spacing, so time order is index order and a running sum over the index is the balance after each event.
 */

export const seedDays = 90;
const dayMs = 86_400_000;

export type PlannedDay = {
  /** The UTC day, `YYYY-MM-DD`. */
  day: string;
  startMs: number;
  /** The part of the day the events spread over: a whole day, or until `now` for today. */
  spanMs: number;
  /** The index of the day's first event, and how many it has. */
  firstIndex: number;
  count: number;
};

/** A run of consecutive events within one day: `offset` is the first one's position in its day. */
export type Segment = { day: PlannedDay; offset: number; count: number };

/** A small seeded generator (mulberry32): the same plan for the same seed, so runs can be compared. */
function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function dayWeight(index: number, startMs: number, spanMs: number, random: () => number) {
  const growth = 0.55 + (0.9 * index) / (seedDays - 1);
  const weekday = new Date(startMs).getUTCDay();
  const weekend = weekday === 6 ? 0.5 : weekday === 0 ? 0.4 : 1;
  const noise = 0.9 + 0.2 * random();
  return growth * weekend * noise * (spanMs / dayMs);
}

/** `total` events over the 90 UTC days ending with today (until `now`), summing exactly to `total`. */
export function planUsageDays(total: number, now: Date, seed = 90): PlannedDay[] {
  const random = seededRandom(seed);
  const todayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const days = Array.from({ length: seedDays }, (_, index) => {
    const startMs = todayStart - (seedDays - 1 - index) * dayMs;
    // Today counts only its elapsed part (at least a second, so that just after midnight it is not empty).
    const spanMs = index === seedDays - 1 ? Math.max(1_000, now.getTime() - startMs) : dayMs;
    return { day: new Date(startMs).toISOString().slice(0, 10), startMs, spanMs, weight: dayWeight(index, startMs, spanMs, random) };
  });
  const weightSum = days.reduce((sum, day) => sum + day.weight, 0);
  // Largest remainders: floor every share, then hand the events left over to the biggest fractions.
  const shares = days.map((day) => (total * day.weight) / weightSum);
  const counts = shares.map(Math.floor);
  const leftOver = total - counts.reduce((sum, count) => sum + count, 0);
  const byFraction = shares.map((share, index) => ({ index, fraction: share - Math.floor(share) })).sort((a, b) => b.fraction - a.fraction);
  for (const { index } of byFraction.slice(0, leftOver)) counts[index]! += 1;
  let firstIndex = 0;
  return days.map(({ day, startMs, spanMs }, index) => {
    const planned = { day, startMs, spanMs, firstIndex, count: counts[index]! };
    firstIndex += planned.count;
    return planned;
  });
}

/** The plan cut into statements of at most `size` events each; a busy day may span two statements. */
export function* chunkPlan(days: PlannedDay[], size: number): Generator<Segment[]> {
  let chunk: Segment[] = [];
  let room = size;
  for (const day of days) {
    let offset = 0;
    while (offset < day.count) {
      const count = Math.min(room, day.count - offset);
      chunk.push({ day, offset, count });
      offset += count;
      room -= count;
      if (room === 0) {
        yield chunk;
        chunk = [];
        room = size;
      }
    }
  }
  if (chunk.length > 0) yield chunk;
}
