import { after } from "next/server";

/**
 * Runs work once the response has been sent (Next's `after`, which `next start` also waits for when it
 * shuts down), so that nothing the work costs can show in the response time. Outside a request (the CLI,
 * a test) there is no response to wait for: the work starts at once, in the background.
 */
export function afterResponse(label: string, task: () => Promise<unknown>): void {
  const run = () => task().catch((error: unknown) => console.error(`[auth] ${label} failed:`, error));
  try {
    after(run);
  } catch {
    void run();
  }
}
