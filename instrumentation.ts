export async function register() {
  // The start-up module uses Node APIs; the edge runtime (proxy.ts) must not bundle it.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServer } = await import("./lib/server-start");
    await startServer();
  }
}
