import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

type RouteHandler = (request: Request) => Promise<Response>;

async function toRequest(incoming: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  return new Request(new URL(incoming.url ?? "/", origin), { method: incoming.method, headers, body });
}

/**
 * A plain HTTP server in front of route handlers (`POST` of app/api/.../route.ts), so that a client in
 * another process, such as the CLI, can call the real handlers without `next start`. Paths it does not
 * route answer 404.
 */
export async function startRouteServer(routes: Record<string, RouteHandler>) {
  const server = createServer((incoming, outgoing) => {
    const origin = `http://${incoming.headers.host ?? "127.0.0.1"}`;
    const route = routes[new URL(incoming.url ?? "/", origin).pathname];
    if (!route || incoming.method !== "POST") {
      outgoing.writeHead(404).end();
      return;
    }
    toRequest(incoming, origin)
      .then(route)
      .then(async (response) => {
        outgoing.writeHead(response.status, Object.fromEntries(response.headers));
        outgoing.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((error: unknown) => {
        console.error("[route-server]", error);
        outgoing.writeHead(500).end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
