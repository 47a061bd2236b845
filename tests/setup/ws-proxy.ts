import net from "node:net";
import { WebSocketServer } from "ws";

/**
 * The WebSocket-to-TCP proxy that Neon runs in front of Postgres, in miniature: each WebSocket connection
 * to /v2?address=host:port is piped byte for byte to that TCP address. It lets the real Neon driver talk
 * to the local Postgres.
 */
export async function startWebSocketProxy(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  server.on("connection", (socket, request) => {
    const address = new URL(request.url ?? "", "http://proxy").searchParams.get("address") ?? "";
    const [host, port] = address.split(":");
    const upstream = net.connect({ host, port: Number(port) });
    upstream.on("data", (chunk) => socket.send(chunk));
    upstream.on("close", () => socket.close());
    upstream.on("error", () => socket.close());
    socket.on("message", (data) => upstream.write(data as Buffer));
    socket.on("close", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
