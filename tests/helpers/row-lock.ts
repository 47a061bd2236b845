import pg from "pg";
import { inject } from "vitest";

/** Embedded PGlite is one Postgres session: a second connection cannot hold a lock the app then waits for. */
export const onServerDatabase = inject("databaseKind") !== "pglite";

/**
 * Holds an organization's row `FOR UPDATE` in a transaction of its own, on a connection outside the app's
 * pool, so that every credit movement, usage report and batch for that organization queues behind it. A test
 * sends its racing calls, waits until they are all queued, then releases: they meet at the row lock together
 * instead of one after the other, which no number of Promise.all calls guarantees.
 */
export function holdOrganizationRow(organizationId: string) {
  return holdTransaction([["select 1 from organizations where id = $1 for update", [organizationId]]]);
}

/**
 * Runs the statements in a transaction on a connection of its own and keeps it open (its locks held, its
 * rows uncommitted) until `release()` commits it.
 */
export async function holdTransaction(statements: Array<[text: string, values: unknown[]]>) {
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  await client.connect();
  let holder: number;
  try {
    await client.query("begin");
    for (const [text, values] of statements) await client.query(text, values);
    holder = ((await client.query("select pg_backend_pid() as pid")).rows[0] as { pid: number }).pid;
  } catch (error) {
    await client.end();
    throw error;
  }
  let released = false;

  /** Sessions waiting on this transaction, directly or behind another waiter (the first waiter holds the tuple lock). */
  async function waiting() {
    // Inside a transaction pg_stat_activity is read from a snapshot taken once; take a fresh one each time.
    await client.query("select pg_stat_clear_snapshot()");
    const { rows } = await client.query(
      `with recursive blocked(pid) as (
         select pid from pg_stat_activity where $1 = any(pg_blocking_pids(pid))
         union
         select a.pid from pg_stat_activity a join blocked b on b.pid = any(pg_blocking_pids(a.pid))
       )
       select count(*)::int as count from blocked`,
      [holder],
    );
    return (rows[0] as { count: number }).count;
  }

  async function release() {
    if (released) return;
    released = true;
    try {
      await client.query("commit");
    } finally {
      await client.end();
    }
  }

  return {
    waiting,
    release,
    /** Resolves once `count` sessions wait for this transaction; throws (and releases) if they do not in time. */
    async waitForWaiters(count: number, timeoutMs = 3_000) {
      const deadline = Date.now() + timeoutMs;
      for (let seen = await waiting(); seen < count; seen = await waiting()) {
        if (Date.now() > deadline) {
          await release();
          throw new Error(`only ${seen} of ${count} sessions wait for the held transaction`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}
