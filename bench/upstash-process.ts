import { startUpstashRestServer } from "../tests/fakes/upstash-rest-server";

/**
 * The Upstash REST server in a process of its own: in the load generator's process its work would delay
 * autocannon's timers and inflate the latencies measured, and a real Upstash is not on the app's CPU either.
 * The chaos suite also stops, hangs and restarts it as a process. `UPSTASH_PORT` fixes its port (a restart
 * must come back where the app looks). Prints `{ url, token }` as one JSON line once it listens; stops on SIGTERM.
 */
const server = await startUpstashRestServer({ token: "bench-upstash-token", port: Number(process.env.UPSTASH_PORT ?? 0) });
process.stdout.write(`${JSON.stringify({ url: server.url, token: server.token })}\n`);
process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
