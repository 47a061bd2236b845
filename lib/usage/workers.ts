import { registerMirrorListener } from "@/lib/cache";
import { registerLowCreditAlerts } from "@/lib/alerts";
import { startMirrorSweep } from "@/lib/cache/sweep";
import { registerVerifyCacheListener } from "@/lib/keys/verify-cache";

const globalForWorkers = globalThis as typeof globalThis & { __usageWorkers?: boolean };

/**
 * Registers the after-commit listeners (Redis mirror, low-credit alerts) and starts the sweep that mirrors
 * expiries and repairs lost mirror writes. Idempotent; called by the server's start-up, the service routes
 * and the CLI.
 */
export function startUsageWorkers(options: { sweep?: boolean } = {}) {
  registerMirrorListener();
  registerLowCreditAlerts();
  registerVerifyCacheListener();
  if (options.sweep === false || globalForWorkers.__usageWorkers) return;
  globalForWorkers.__usageWorkers = true;
  startMirrorSweep();
}
