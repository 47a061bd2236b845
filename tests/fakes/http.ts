import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export async function readBody(request: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function sendJson(response: ServerResponse, status: number, value: unknown) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(value));
}

export type RecordedRequest = { method: string; path: string; headers: IncomingMessage["headers"]; body: string };

/** A local HTTP server for a provider fake; every request is recorded before the handler answers it. */
export async function startFakeServer(
  handle: (request: IncomingMessage, response: ServerResponse, body: string) => Promise<unknown> | unknown,
  port = 0,
) {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    requests.push({ method: request.method ?? "GET", path: request.url ?? "/", headers: request.headers, body });
    try {
      await handle(request, response, body);
    } catch (error) {
      sendJson(response, 500, { error: { message: (error as Error).message } });
    }
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
