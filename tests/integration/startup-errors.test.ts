import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * README (Environment): "a malformed DATABASE_URL is reported in one line by the server and by every
 * script", and the scripts say so in one line too when the database cannot be reached. Each case runs the
 * real entry point in a process of its own, as an operator would, and reads its stderr and exit code.
 */

const root = path.resolve(import.meta.dirname, "../..");

async function closedPort() {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function run(args: string[], env: Record<string, string>) {
  // The child reads only what it is given here besides PATH and HOME: no database of the test run.
  const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "test", ...env };
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: root, env: childEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

// The first is refused by the URL's pattern, the second by parsing it, as the drivers would.
const malformed: Array<[string, string]> = [
  ["another scheme", "mysql://db.example/portal"],
  ["a port that is not a number", "postgres://portal@db.example:5432x/portal"],
];
const malformedLine = /^error: Invalid environment variable DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/;
const unreachableLine = /^error: Cannot reach the database named by DATABASE_URL \(ECONNREFUSED\)$/;

const scripts: Array<[string, string[]]> = [
  ["npm run db:migrate", ["scripts/migrate.ts"]],
  ["npm run db:seed", ["scripts/seed.ts"]],
  ["npm run portal -- org:list", ["scripts/portal.ts", "org:list"]],
];

type Result = { code: number | null; stdout: string; stderr: string };

function expectOneLine(result: Result, line: RegExp) {
  const lines = result.stderr.split("\n").filter((text) => text.trim() !== "");
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(line);
  expect(result.code).toBe(1);
  expect(result.stdout).toBe("");
}

// Each case is a process of its own (about a second of tsx start-up): they run side by side.
describe.concurrent("a bad DATABASE_URL is one line on stderr and exit code 1", () => {
  // Both kinds of malformed URL for one script (they share lib/env.ts and scripts/script-runner.ts), one
  // that only parsing refuses and an unreachable one for each.
  const cases = scripts.flatMap(([name, args], index) => [
    ...malformed
      .slice(index === 0 ? 0 : 1)
      .map(([label, url]): [string, string[], () => Promise<string>, RegExp] => [`${name}, malformed (${label})`, args, async () => url, malformedLine]),
    [`${name}, unreachable`, args, async () => `postgres://postgres@127.0.0.1:${await closedPort()}/portal`, unreachableLine] as const,
  ]);

  it.each(cases)("%s", async (_title, args, url, line) => {
    expectOneLine(await run(args, { DATABASE_URL: await url() }), line);
  });

  // The server's start (instrumentation.ts, as `next start` runs it) refuses to serve with a malformed URL,
  // rather than answering its requests with a stack trace.
  it.each(malformed)("the server's start, malformed (%s)", async (_label, url) => {
    const start = "const { register } = await import('./instrumentation.ts'); await register(); console.log('started');";
    expectOneLine(await run(["--input-type=module", "-e", start], { DATABASE_URL: url, NEXT_RUNTIME: "nodejs" }), malformedLine);
  });
});
