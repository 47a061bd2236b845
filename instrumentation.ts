export async function register() {
  // The start-up module uses Node APIs; the edge runtime (proxy.ts) must not bundle it.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServer } = await import("./lib/server-start");
    await startServer();
    // After-commit listeners (Redis mirror, low-credit alerts) for every credit movement of this process.
    const { startUsageWorkers } = await import("./lib/usage/workers");
    startUsageWorkers();
    // On SIGTERM/SIGINT: drain, flush the mirror queue and the lastUsedAt batch, close the pools (lib/shutdown.ts).
    const { installGracefulShutdown } = await import("./lib/shutdown");
    installGracefulShutdown();
  }
}
