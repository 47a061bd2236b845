import { closeDatabase } from "@/db/client";
import { stopEmbeddedDatabase } from "@/db/embedded";
import { EnvError } from "@/lib/env";

/** Thrown for bad command-line input: one line on stderr, exit code 2. */
export class UsageError extends Error {}

function describeConnectionError(error: unknown): string | undefined {
  const code = (error as { code?: string } | null)?.code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "ETIMEDOUT") {
    return `Cannot reach the database named by DATABASE_URL (${code})`;
  }
  if (code === "28P01" || code === "28000") return "The database rejected the credentials in DATABASE_URL";
  if (code === "3D000") return "The database named in DATABASE_URL does not exist";
  return undefined;
}

/** Runs a script's main function, turning expected failures into one readable line instead of a stack trace. */
export async function runScript(main: () => Promise<void>) {
  let exitCode = 0;
  try {
    await main();
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}`);
      exitCode = 2;
    } else if (error instanceof EnvError) {
      console.error(`error: ${error.message}`);
      exitCode = 1;
    } else {
      const known = describeConnectionError(error) ?? describeConnectionError((error as { cause?: unknown }).cause);
      console.error(known ? `error: ${known}` : error);
      exitCode = 1;
    }
  } finally {
    await closeDatabase().catch(() => undefined);
    await stopEmbeddedDatabase().catch(() => undefined);
  }
  process.exit(exitCode);
}
