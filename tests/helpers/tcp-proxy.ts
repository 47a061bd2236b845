import net from "node:net";

type Held = { to: net.Socket; chunk: Buffer };

/** When a planned cut happens: before the matching bytes reach the server, or once the server answered them. */
export type CutMoment = "before-delivery" | "after-answer";
type CutPlan = { arm: (sent: string) => boolean; at: (sent: string) => boolean; when: CutMoment; done: () => void };

// ReadyForQuery ('Z', length 5): the server has finished everything the client sent, a COMMIT included.
const readyForQuery = Buffer.from([0x5a, 0, 0, 0, 5]);

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
 * - `cutConnection({ arm, at, when })` cuts one connection mid-conversation, once: the first connection
 *   whose client sends bytes that `arm` matches (as latin1 text: statement text and text parameters) is
 *   cut when it sends bytes that `at` matches (by default the same ones). `"before-delivery"` drops those
 *   bytes, so the server never runs them; `"after-answer"` delivers them, holds the server's answer back and
 *   cuts once the server is ready for the next query (so a single statement or a COMMIT has committed),
 *   as when the network fails just after the commit: the client only learns that the connection broke.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const open = new Set<net.Socket>();
  let down = false;
  let stalled = false;
  let held: Held[] = [];
  let deliverAfterClose = false;
  const closeOnResume = new Set<net.Socket>();
  let plannedCut: CutPlan | undefined;

  /** Carries out the planned cut on the one connection that arms it; each returns true for a chunk it took. */
  function cutter(client: net.Socket, upstream: net.Socket) {
    let plan: CutPlan | undefined;
    let answer: Buffer | undefined;
    const cut = () => {
      client.destroy();
      upstream.destroy();
      plan!.done();
    };
    return {
      fromClient(chunk: Buffer) {
        const sent = chunk.toString("latin1");
        if (!plan && plannedCut?.arm(sent)) [plan, plannedCut] = [plannedCut, undefined];
        if (!plan || answer || !plan.at(sent)) return false;
        if (plan.when === "before-delivery") {
          cut();
          return true;
        }
        answer = Buffer.alloc(0);
        return false;
      },
      fromServer(chunk: Buffer) {
        if (!answer) return false;
        answer = Buffer.concat([answer, chunk]);
        if (answer.includes(readyForQuery)) cut();
        return true;
      },
    };
  }

  function relay(from: net.Socket, to: net.Socket, take: (chunk: Buffer) => boolean) {
    from.on("data", (chunk: Buffer) => {
      if (take(chunk)) return;
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
    const cut = cutter(client, upstream);
    relay(client, upstream, cut.fromClient);
    relay(upstream, client, cut.fromServer);
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
    /** Plans the cut described above; resolves once it has happened. */
    cutConnection(options: { arm: (sent: string) => boolean; at?: (sent: string) => boolean; when: CutMoment }) {
      return new Promise<void>((done) => {
        plannedCut = { arm: options.arm, at: options.at ?? options.arm, when: options.when, done };
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
