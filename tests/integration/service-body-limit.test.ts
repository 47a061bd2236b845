import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { POST as batchRoute } from "@/app/api/usage/batch/route";
import { POST as usageRoute } from "@/app/api/usage/route";
import { getBalance } from "@/lib/credits";
import { env } from "@/lib/env";
import { maxBatchBodyBytes, maxUsageBodyBytes } from "@/lib/usage/schemas";
import { createOrganizationWithKey } from "../helpers/usage";

/**
 * Issue 12, item 11: the body cap of the service routes (SPEC section 2: 413 payload_too_large over 64 KB,
 * 4 MB for a batch) as production wires it: the route handler itself, given a Request whose body is a
 * stream, with no Content-Length or with one that lies. The cap must hold while streaming, and stop reading.
 */

type Route = (request: Request) => Promise<Response>;

/** A body produced on demand, `chunk` by `chunk`, up to `totalBytes`; it records how much was pulled. */
function generatedBody(totalBytes: number, chunk: Uint8Array) {
  const progress = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (progress.pulled >= totalBytes) return controller.close();
      controller.enqueue(chunk);
      progress.pulled += chunk.byteLength;
    },
    cancel() {
      progress.cancelled = true;
    },
  });
  return { stream, progress };
}

/** `bytes` streamed in pieces of `size`, so multi-byte characters are split across chunks. */
function chunkedBody(bytes: Uint8Array, size: number) {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

function post(route: Route, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  const init = {
    method: "POST",
    headers: { authorization: `Bearer ${env().USAGE_SERVICE_TOKENS[0]}`, "content-type": "application/json", ...headers },
    body,
    duplex: "half",
  };
  return route(new Request("http://portal.test/api/usage", init as RequestInit));
}

/** A usage report padded with JSON whitespace to exactly `size` bytes. */
function reportOfSize(apiKey: string, size: number) {
  const text = JSON.stringify({ apiKey, requestId: randomUUID(), credits: 2, endpoint: "/v1/requête" });
  const bytes = new TextEncoder().encode(text);
  const padded = new Uint8Array(size).fill(0x20);
  padded.set(bytes);
  return padded;
}

const megabyte = 1024 * 1024;
const filler = new Uint8Array(16 * 1024).fill(0x20);

async function expectTooLarge(response: Response) {
  expect(response.status).toBe(413);
  expect(await response.json()).toMatchObject({ success: false, error: "payload_too_large" });
}

describe("the streaming body cap of the service routes", () => {
  it("answers 413 to a body over the cap with no Content-Length, and stops reading it", async () => {
    const body = generatedBody(100 * megabyte, filler);
    await expectTooLarge(await post(usageRoute, body.stream));
    // Read only until it passed 64 KB (plus what the stream had queued), never the 100 MB.
    expect(body.progress.pulled).toBeLessThanOrEqual(maxUsageBodyBytes + 2 * filler.byteLength);
    expect(body.progress.cancelled).toBe(true);
  });

  it("answers 413 when a small Content-Length comes with a big body", async () => {
    const body = generatedBody(100 * megabyte, filler);
    await expectTooLarge(await post(usageRoute, body.stream, { "content-length": "120" }));
    expect(body.progress.pulled).toBeLessThanOrEqual(maxUsageBodyBytes + 2 * filler.byteLength);
    expect(body.progress.cancelled).toBe(true);
  });

  it("answers 413 to a Content-Length over the cap before reading the body, whatever is actually sent", async () => {
    // The client said it would send more than the cap. Behind Node's HTTP server the body would not end
    // before that many bytes came, so a small body under a big header is a broken request either way, and
    // refusing on the header spares reading an honest big one.
    const { key } = await createOrganizationWithKey(10);
    const body = generatedBody(200, new TextEncoder().encode(JSON.stringify({ apiKey: key, requestId: randomUUID(), credits: 1 })));
    await expectTooLarge(await post(usageRoute, body.stream, { "content-length": String(10 * megabyte) }));
    // Never read: the handler did not even take a reader (the stream itself queues its first chunk).
    expect(body.stream.locked).toBe(false);
  });

  it("takes a streamed body of exactly the cap, split anywhere, and refuses one byte more", async () => {
    const { organization, key } = await createOrganizationWithKey(10);
    const accepted = await post(usageRoute, chunkedBody(reportOfSize(key, maxUsageBodyBytes), 7));
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ success: true, remainingCredits: 8, duplicate: false });

    await expectTooLarge(await post(usageRoute, chunkedBody(reportOfSize(key, maxUsageBodyBytes + 1), 4096)));
    expect(await getBalance(organization.id)).toBe(8);
  });

  it("answers 400, not 500, when the client's body breaks off mid-stream, and charges nothing", async () => {
    const { organization, key } = await createOrganizationWithKey(10);
    const start = new TextEncoder().encode(`{"apiKey":"${key}","requestId":"${randomUUID()}","credits":1`);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(start);
        controller.error(new Error("aborted"));
      },
    });
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const response = await post(usageRoute, body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ success: false, error: "invalid_request" });
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
    expect(await getBalance(organization.id)).toBe(10);
  });

  it("holds the batch route's own cap the same way", async () => {
    const body = generatedBody(100 * megabyte, filler);
    await expectTooLarge(await post(batchRoute, body.stream));
    expect(body.progress.pulled).toBeGreaterThan(maxUsageBodyBytes);
    expect(body.progress.pulled).toBeLessThanOrEqual(maxBatchBodyBytes + 2 * filler.byteLength);
    expect(body.progress.cancelled).toBe(true);
  });
});
