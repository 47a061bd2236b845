import net from "node:net";

type Held = { to: net.Socket; chunk: Buffer };

/**
 * A TCP proxy in front of a real server that a test can cut and restore, or stall, to play a network outage
 * or a hung server between the app and its database without touching the shared database server.
 * - `setDown(true)` closes every connection and refuses new ones, as a dead host would.
 * - `setStalled(true)` keeps accepting connections and bytes but delivers none, either way, as a SIGSTOPped
 *   server or a black-holed network does; `setStalled(false)` delivers what was held, in order, to the
 *   connections still open. A side that closes meanwhile closes the other at once, so the bytes it had sent
 *   are never delivered (the statement of a client that gave up never runs).
 * - `setStalled(true, { deliverAfterClose: true })` plays a SIGSTOPped server instead: the bytes a client
 *   sent before giving up are already in the server's socket, so on resume the server still reads and runs
 *   them, and only then sees the connection closed.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const open = new Set<net.Socket>();
  let down = false;
  let stalled = false;
  let held: Held[] = [];
  let deliverAfterClose = false;
  const closeOnResume = new Set<net.Socket>();

  function relay(from: net.Socket, to: net.Socket) {
    from.on("data", (chunk: Buffer) => {
      if (stalled) held.push({ to, chunk });
      else to.write(chunk);
    });
    from.on("close", () => {
      if (stalled && deliverAfterClose) closeOnResume.add(to);
      else to.destroy();
    });
  }

  const server = net.createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      socket.on("error", () => undefined);
    }
    relay(client, upstream);
    relay(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    setDown(value: boolean) {
      down = value;
      if (value) for (const socket of open) socket.destroy();
    },
    setStalled(value: boolean, options: { deliverAfterClose?: boolean } = {}) {
      stalled = value;
      if (value) {
        deliverAfterClose = options.deliverAfterClose ?? false;
        return;
      }
      const release = held;
      held = [];
      for (const { to, chunk } of release) if (!to.destroyed) to.write(chunk);
      for (const socket of closeOnResume) socket.end();
      closeOnResume.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
