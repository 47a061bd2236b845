/**
 * Runs once when a server instance starts. It validates the environment first, so a deployment with a
 * missing secret stops with that secret's name instead of failing on the first request.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env, EnvError } = await import("@/lib/env");
  try {
    env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const { startServerTasks } = await import("@/lib/server-tasks");
  await startServerTasks();
}
