import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import Redis from "ioredis";

/**
 * A small Upstash-REST-compatible server over a real redis-server, so that @upstash/redis and
 * @upstash/ratelimit run their real code (Lua scripts included) in tests and the benchmark.
 * Speaks `POST /` (one command), `POST /pipeline` and `POST /multi-exec`, with Bearer auth and the
 * base64 response encoding the SDK asks for.
 */

type Reply = Buffer | string | number | null | Reply[] | Record<string, Buffer>;
type Command = [string, ...Array<string | number>];

export type UpstashRestServer = {
  url: string;
  token: string;
  /** While down, every connection is dropped, as if the network or Upstash were unreachable. */
  setDown(down: boolean): void;
  /**
   * While hung, requests are accepted (and counted) but not answered, as by a process stopped with SIGSTOP;
   * when it resumes, the held requests are answered, late, as the resumed process would. With `drop`, they
   * are dropped unanswered and never run instead, as by a process killed while it was stopped.
   */
  setHung(hung: boolean, options?: { drop?: boolean }): void;
  /** How many HTTP requests (a command, a pipeline or a transaction each) it has answered. */
  requestCount(): number;
  close(): Promise<void>;
};

// Redis 7.0 does not know this flag, which @upstash/ratelimit's scripts declare; the scripts run fine without it.
const unsupportedFlag = /^#!lua flags=allow-key-locking\n/;
const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

function encode(reply: Reply, base64: boolean): unknown {
  if (reply === null || typeof reply === "number") return reply;
  if (Array.isArray(reply)) return reply.map((item) => encode(item, base64));
  if (Buffer.isBuffer(reply) || typeof reply === "string") {
    const text = Buffer.isBuffer(reply) ? reply : Buffer.from(reply);
    if (!base64 || text.toString() === "OK") return text.toString();
    return text.toString("base64");
  }
  // ioredis turns HGETALL into an object; the REST protocol answers a flat array.
  return Object.entries(reply).flatMap(([field, value]) => [encode(field, base64), encode(value, base64)]);
}

export async function startUpstashRestServer(options: { redisUrl?: string; token?: string; port?: number } = {}) {
  const redis = new Redis(options.redisUrl ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 });
  const token = options.token ?? "upstash-test-token";
  const rewrittenShas = new Map<string, string>();
  const sockets = new Set<Socket>();
  let down = false;
  let hung = false;
  let held: Array<(run: boolean) => void> = [];
  const release = (run = true) => {
    for (const resume of held) resume(run);
    held = [];
  };

  function rewrite(command: Command): Command {
    const [name, ...args] = command;
    const upper = name.toUpperCase();
    if ((upper === "EVAL" || (upper === "SCRIPT" && String(args[0]).toUpperCase() === "LOAD")) && args.length > 0) {
      const index = upper === "EVAL" ? 0 : 1;
      const script = String(args[index]);
      if (unsupportedFlag.test(script)) {
        const fixed = script.replace(unsupportedFlag, "#!lua\n");
        rewrittenShas.set(sha1(script), sha1(fixed));
        const copy = [...args];
        copy[index] = fixed;
        return [name, ...copy];
      }
    }
    if (upper === "EVALSHA" && args.length > 0) {
      const mapped = rewrittenShas.get(String(args[0]));
      if (mapped) return [name, mapped, ...args.slice(1)];
    }
    return command;
  }

  async function run(command: Command) {
    const [name, ...args] = rewrite(command);
    return (await redis.callBuffer(name, ...args.map(String))) as Reply;
  }

  async function handle(path: string, body: unknown, base64: boolean): Promise<[number, unknown]> {
    if (path === "/" || path === "") {
      try {
        return [200, { result: encode(await run(body as Command), base64) }];
      } catch (error) {
        return [400, { error: (error as Error).message }];
      }
    }
    const commands = (body as Command[]).map(rewrite);
    if (path === "/pipeline") {
      const replies = await Promise.all(
        commands.map((command) =>
          run(command).then(
            (result) => ({ result: encode(result, base64) }),
            (error: Error) => ({ error: error.message }),
          ),
        ),
      );
      return [200, replies];
    }
    if (path === "/multi-exec") {
      const transaction = redis.multi();
      for (const [name, ...args] of commands) transaction.callBuffer(name, ...args.map(String));
      const results = await transaction.exec();
      if (!results) return [400, { error: "EXECABORT Transaction discarded" }];
      return [200, results.map(([error, result]) => (error ? { error: error.message } : { result: encode(result as Reply, base64) }))];
    }
    return [404, { error: `Unknown path ${path}` }];
  }

  function respond(response: ServerResponse, status: number, payload: unknown) {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(payload));
  }

  let requests = 0;
  const server: Server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    if (down) return request.socket.destroy();
    if (request.headers.authorization !== `Bearer ${token}`) return respond(response, 401, { error: "Unauthorized" });
    requests += 1;
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of request) chunks.push(chunk as Buffer);
      if (hung && !(await new Promise<boolean>((resume) => held.push(resume)))) return request.socket.destroy();
      const body: unknown = JSON.parse(Buffer.concat(chunks).toString() || "null");
      const base64 = String(request.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
      const [status, payload] = await handle(new URL(request.url ?? "/", "http://x").pathname, body, base64);
      respond(response, status, payload);
    } catch (error) {
      respond(response, 400, { error: (error as Error).message });
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const handleApi: UpstashRestServer = {
    url: `http://127.0.0.1:${port}`,
    token,
    requestCount: () => requests,
    setDown(value) {
      down = value;
      if (value) for (const socket of sockets) socket.destroy();
    },
    setHung(value, hangOptions = {}) {
      hung = value;
      if (!value) release(!hangOptions.drop);
    },
    async close() {
      release(false);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis.disconnect();
    },
  };
  return handleApi;
}
