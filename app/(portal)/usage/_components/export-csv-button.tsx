"use client";

import { useEffect, useRef, useState } from "react";
import { DownloadIcon, XIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { formatCount } from "@/lib/format";
import { usageExportHref, type UsageFilter } from "@/lib/usage/explorer-params";

type ExportState =
  | { phase: "idle" }
  | { phase: "running"; rows: number }
  | { phase: "done"; rows: number; fileName: string }
  | { phase: "cancelled"; rows: number }
  | { phase: "failed"; message: string };

const newline = 10;
const progressEveryMs = 100;

function countNewlines(chunk: Uint8Array) {
  let count = 0;
  for (let i = 0; i < chunk.length; i++) if (chunk[i] === newline) count++;
  return count;
}

async function failureMessage(response: Response) {
  if (response.status === 401) return "Your session has ended. Sign in again, then export.";
  const body = (await response.json().catch(() => null)) as { message?: unknown } | null;
  const detail = typeof body?.message === "string" ? ` ${body.message}` : "";
  return `The export failed (HTTP ${response.status}).${detail}`;
}

function saveFile(parts: Uint8Array<ArrayBuffer>[], fileName: string) {
  const url = URL.createObjectURL(new Blob(parts, { type: "text/csv" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers; a minute is plenty to hand it over.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Streams the filter's CSV from the export route (oldest first), counting lines as they arrive so a large
 * export shows progress and can be cancelled, then saves it. `expectedRows` is the filter's request total
 * from the rollups: the export may hold a few more if usage arrives meanwhile.
 */
export function ExportCsvButton({ filter, expectedRows }: { filter: UsageFilter; expectedRows: number }) {
  const [state, setState] = useState<ExportState>({ phase: "idle" });
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  async function run() {
    const abort = new AbortController();
    controller.current = abort;
    const fileName = `usage-${filter.from}-${filter.to}.csv`;
    let lines = 0;
    let lastByte = newline;
    setState({ phase: "running", rows: 0 });
    try {
      const response = await fetch(usageExportHref(filter), { signal: abort.signal, headers: { accept: "text/csv" } });
      if (!response.ok || !response.body) {
        setState({ phase: "failed", message: await failureMessage(response) });
        return;
      }
      const reader = response.body.getReader();
      const parts: Uint8Array<ArrayBuffer>[] = [];
      let shownAt = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        lines += countNewlines(value);
        lastByte = value.at(-1) ?? lastByte;
        if (Date.now() - shownAt > progressEveryMs) {
          shownAt = Date.now();
          setState({ phase: "running", rows: Math.max(0, lines - 1) });
        }
      }
      // The header is a line, and the last row may end without a newline.
      const rows = Math.max(0, lines - 1 + (lastByte === newline ? 0 : 1));
      saveFile(parts, fileName);
      setState({ phase: "done", rows, fileName });
    } catch {
      const rows = Math.max(0, lines - 1);
      if (abort.signal.aborted) setState({ phase: "cancelled", rows });
      else setState({ phase: "failed", message: "The export stopped: the connection was lost. Try again." });
    } finally {
      if (controller.current === abort) controller.current = null;
    }
  }

  const running = state.phase === "running";
  return (
    <div className="flex flex-col items-stretch gap-2 sm:items-end">
      <div className="flex flex-wrap gap-2 sm:justify-end">
        <Button type="button" variant="outline" onClick={run} disabled={running || expectedRows === 0}>
          <DownloadIcon aria-hidden="true" /> Export CSV
        </Button>
        {running && (
          <Button type="button" variant="ghost" onClick={() => controller.current?.abort()}>
            <XIcon aria-hidden="true" /> Cancel export
          </Button>
        )}
      </div>
      {running && (
        <progress className="h-1.5 w-full accent-primary sm:w-56" max={Math.max(expectedRows, state.rows, 1)} value={state.rows} aria-label="Export progress" />
      )}
      <p role="status" aria-live="polite" className={state.phase === "failed" ? "text-sm font-medium text-destructive" : "text-sm text-muted-foreground"}>
        {state.phase === "running" && `${formatCount(state.rows)} of ~${formatCount(expectedRows)} rows`}
        {state.phase === "done" && `Saved ${state.fileName} (${formatCount(state.rows)} rows).`}
        {state.phase === "cancelled" && `Export cancelled after ${formatCount(state.rows)} rows. Nothing was saved.`}
        {state.phase === "failed" && state.message}
      </p>
    </div>
  );
}
