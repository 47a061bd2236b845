import { env } from "@/lib/env";
import { deliverDueEmails } from "./outbox";

const globalForLoop = globalThis as typeof globalThis & { __emailDeliveryLoop?: NodeJS.Timeout };

/** Retries due outbox messages every EMAIL_OUTBOX_INTERVAL_SECONDS; one loop per process. */
export function startEmailDeliveryLoop() {
  if (globalForLoop.__emailDeliveryLoop) return;
  const timer = setInterval(() => {
    deliverDueEmails().catch((error) => console.error("[email] delivery loop failed:", error));
  }, env().EMAIL_OUTBOX_INTERVAL_SECONDS * 1000);
  // Never keeps a process (the CLI, a test) alive on its own.
  timer.unref();
  globalForLoop.__emailDeliveryLoop = timer;
}
