import { db, type Database, type Transaction } from "./client";

/** An open transaction plus a queue of work to run once it has committed (never when it rolls back). */
export type TransactionContext = {
  tx: Transaction;
  afterCommit: (task: () => unknown) => void;
};

export async function runAfterCommitTasks(tasks: Array<() => unknown>) {
  for (const task of tasks) {
    try {
      await task();
    } catch (error) {
      // A follow-up (cache mirror, alert) must never undo or fail a change that has committed.
      console.error("[db] after-commit task failed:", error);
    }
  }
}

export async function withTransaction<T>(
  work: (context: TransactionContext) => Promise<T>,
  database: Database = db,
): Promise<T> {
  const tasks: Array<() => unknown> = [];
  const result = await database.transaction((tx) => work({ tx, afterCommit: (task) => tasks.push(task) }));
  await runAfterCommitTasks(tasks);
  return result;
}
