import { startUpstashRestServer } from "../tests/fakes/upstash-rest-server";

/**
 * The Upstash REST server in a process of its own: in the load generator's process its work would delay
 * autocannon's timers and inflate the latencies measured, and a real Upstash is not on the app's CPU either.
 * Prints `{ url, token }` as one JSON line once it listens; stops on SIGTERM.
 */
const server = await startUpstashRestServer({ token: "bench-upstash-token" });
process.stdout.write(`${JSON.stringify({ url: server.url, token: server.token })}\n`);
process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
