import { sql } from "drizzle-orm";
import { db, queryRows } from "@/db/client";
import { csvLine } from "@/lib/csv";
import type { ExportInstant } from "./export-filter";

export const usageExportColumns = ["occurred_at", "request_id", "api_key_id", "api_key_name", "endpoint", "credits", "balance_after"] as const;

export const defaultExportBatchSize = 5000;

/** Already authorized: `organizationId` is the viewer's (or a business admin's choice), `apiKeyId` one of its keys. */
export type UsageExportFilter = {
  organizationId: string;
  /** Inclusive. */
  from?: ExportInstant;
  /** Exclusive. */
  to?: ExportInstant;
  apiKeyId?: string;
  endpoint?: string;
};

export type UsageExportRow = {
  id: string;
  /** ISO 8601 UTC with the stored microseconds; also the keyset cursor, so it is never rounded. */
  occurredAt: string;
  requestId: string;
  apiKeyId: string;
  apiKeyName: string;
  endpoint: string | null;
  credits: number;
  balanceAfter: number;
};

type Cursor = { occurredAt: string; id: string };

function readBatch(filter: UsageExportFilter, after: Cursor | null, limit: number) {
  // The batch is cut from usage_events alone, an ordered walk of the (organization_id, occurred_at, id)
  // index from the cursor; the key names are joined to those rows only, so the join can never turn the
  // walk into a scan and sort of everything after the cursor.
  return queryRows<UsageExportRow>(db, sql`
    select e.id, to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "occurredAt",
           e.request_id as "requestId", e.api_key_id as "apiKeyId", k.name as "apiKeyName", e.endpoint,
           e.credits, e.balance_after::float8 as "balanceAfter"
    from (
      select id, occurred_at, request_id, api_key_id, endpoint, credits, balance_after from usage_events
      where organization_id = ${filter.organizationId}
        ${filter.from ? sql`and occurred_at >= ${filter.from.iso}::timestamptz` : sql``}
        ${filter.to ? sql`and occurred_at < ${filter.to.iso}::timestamptz` : sql``}
        ${filter.apiKeyId ? sql`and api_key_id = ${filter.apiKeyId}` : sql``}
        ${filter.endpoint !== undefined ? sql`and endpoint = ${filter.endpoint}` : sql``}
        ${after ? sql`and (occurred_at, id) > (${after.occurredAt}::timestamptz, ${after.id}::uuid)` : sql``}
      order by occurred_at, id
      limit ${limit}
    ) e
    join api_keys k on k.id = e.api_key_id and k.organization_id = ${filter.organizationId}
    order by e.occurred_at, e.id`);
}

/**
 * The filter's usage events, oldest first (ties by id), one keyset query per batch, issued only when the
 * consumer asks for the next batch: a consumer that stops asking stops the queries, and no more than one
 * batch is ever held here.
 */
export async function* usageExportBatches(filter: UsageExportFilter, options: { batchSize?: number } = {}) {
  const batchSize = options.batchSize ?? defaultExportBatchSize;
  let cursor: Cursor | null = null;
  while (true) {
    const rows = await readBatch(filter, cursor, batchSize);
    if (rows.length > 0) yield rows;
    if (rows.length < batchSize) return;
    const last = rows.at(-1)!;
    cursor = { occurredAt: last.occurredAt, id: last.id };
  }
}

function toCsv(row: UsageExportRow) {
  return csvLine([row.occurredAt, row.requestId, row.apiKeyId, row.apiKeyName, row.endpoint, row.credits, row.balanceAfter]);
}

/**
 * The CSV as a byte stream with backpressure: `pull` asks for the next batch only when the reader has taken
 * the previous chunk, so a slow download runs at the reader's pace and a reader that stops stops the
 * queries. Cancelling the stream or aborting `signal` (the request's, when the client goes away) ends it.
 */
export function usageCsvStream(batches: AsyncIterable<UsageExportRow[]>, options: { signal?: AbortSignal } = {}) {
  const iterator = batches[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    // Runs the generator's exit once its pending query (if any) is back; it issues no further ones.
    void iterator.return?.(undefined).catch(() => undefined);
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      options.signal?.addEventListener(
        "abort",
        () => {
          if (stopped) return;
          stop();
          controller.error(new DOMException("The client went away", "AbortError"));
        },
        { once: true },
      );
      // Queued, not yet read: the first query waits for the reader to take the header.
      controller.enqueue(encoder.encode(csvLine(usageExportColumns)));
    },
    async pull(controller) {
      if (stopped) return;
      let next: IteratorResult<UsageExportRow[]>;
      try {
        next = await iterator.next();
      } catch (error) {
        console.error("[usage-export] reading a batch failed; the download ends incomplete:", error);
        throw error;
      }
      if (stopped) return;
      if (next.done) {
        stopped = true;
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(next.value.map(toCsv).join("")));
    },
    cancel() {
      stop();
    },
  });
}

/** Whether `apiKeyId` is one of the organization's keys (revoked ones included: their usage stays exportable). */
export async function organizationHasApiKey(organizationId: string, apiKeyId: string) {
  const rows = await queryRows<{ found: number }>(db, sql`
    select 1 as found from api_keys where id = ${apiKeyId} and organization_id = ${organizationId}`);
  return rows.length > 0;
}

/** `usage-<from day or "start">-to-<to day or today>.csv`: the download names the range it holds. */
export function usageExportFilename(filter: Pick<UsageExportFilter, "from" | "to">, now = new Date()) {
  const day = (iso: string) => iso.slice(0, 10);
  return `usage-${filter.from ? day(filter.from.iso) : "start"}-to-${day(filter.to?.iso ?? now.toISOString())}.csv`;
}
