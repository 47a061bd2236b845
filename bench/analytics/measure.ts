import { readdirSync, readFileSync } from "node:fs";

/**
 * The analytics section's measurements against a running app: page response times over sequential
 * requests, and the CSV export's throughput with the memory of the server's process tree sampled while it
 * streams.
 */

export type PageTiming = { path: string; status: number; p50: number; p95: number; requests: number; note?: string };
export type ExportRun =
  | { status: "ok"; rows: number; seconds: number; rowsPerSecond: number; peakTreeMb: number; peakServerMb: number; baselineTreeMb: number }
  | { status: "missing" | "failed"; httpStatus: number; note: string };

function percentile(sorted: number[], fraction: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

/**
 * The full HTML of `path`, `requests` times one after the other after `warmUp` untimed ones. A page that
 * does not show `signedInAs` (the viewer's email, in the portal's header) was not rendered for that viewer.
 */
export async function timePage(baseUrl: string, path: string, cookie: string, signedInAs: string, requests = 30, warmUp = 5): Promise<PageTiming> {
  const once = async () => {
    const started = performance.now();
    const response = await fetch(`${baseUrl}${path}`, { headers: { cookie }, redirect: "manual" });
    const html = await response.text();
    return { status: response.status, ms: performance.now() - started, location: response.headers.get("location"), html };
  };
  for (let index = 0; index < warmUp; index++) {
    const first = await once();
    // A redirect (to sign-in) or an error is the answer for every request: report it rather than time it.
    if (first.status !== 200) {
      const note = first.status === 404 ? "page missing (404)" : first.location ? `redirected to ${first.location}` : `answered ${first.status}`;
      return { path, status: first.status, p50: Number.NaN, p95: Number.NaN, requests: 0, note };
    }
    if (!first.html.includes(signedInAs)) return { path, status: 200, p50: Number.NaN, p95: Number.NaN, requests: 0, note: `not signed in as ${signedInAs}` };
  }
  const times: number[] = [];
  for (let index = 0; index < requests; index++) times.push((await once()).ms);
  times.sort((a, b) => a - b);
  return { path, status: 200, p50: percentile(times, 0.5), p95: percentile(times, 0.95), requests };
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The fields after the command's closing parenthesis: state, then the parent's pid.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

function residentMb(pid: number) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** The resident memory of a process and all its descendants, and of the largest of them (the server). */
export function treeResidentMb(rootPid: number) {
  const pids = [rootPid];
  for (let index = 0; index < pids.length; index++) pids.push(...childrenOf(pids[index]!));
  const sizes = pids.map(residentMb);
  return { tree: sizes.reduce((sum, size) => sum + size, 0), largest: Math.max(...sizes) };
}

/** Streams the export, counting its data lines, while sampling the server tree's memory every 100 ms. */
export async function measureExport(baseUrl: string, query: URLSearchParams, cookie: string, serverPid: number): Promise<ExportRun> {
  const baselineTreeMb = treeResidentMb(serverPid).tree;
  let peakTreeMb = baselineTreeMb;
  let peakServerMb = 0;
  const sample = () => {
    const { tree, largest } = treeResidentMb(serverPid);
    peakTreeMb = Math.max(peakTreeMb, tree);
    peakServerMb = Math.max(peakServerMb, largest);
  };
  const sampler = setInterval(sample, 100);
  const started = performance.now();
  try {
    const response = await fetch(`${baseUrl}/api/usage/export?${query}`, { headers: { cookie }, redirect: "manual" });
    if (response.status !== 200 || !response.body) {
      const body = (await response.text()).slice(0, 200).replace(/\s+/g, " ");
      return { status: response.status === 404 ? "missing" : "failed", httpStatus: response.status, note: response.status === 404 ? "route missing" : body };
    }
    let lines = 0;
    let lastByte = 10;
    const reader = response.body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      const chunk = read.value;
      for (const byte of chunk) if (byte === 10) lines++;
      if (chunk.length > 0) lastByte = chunk[chunk.length - 1]!;
    }
    sample();
    const seconds = (performance.now() - started) / 1000;
    // A last line without its newline is a line too; the header line is not a row.
    const rows = Math.max(0, lines + (lastByte === 10 ? 0 : 1) - 1);
    return { status: "ok", rows, seconds, rowsPerSecond: rows / seconds, peakTreeMb, peakServerMb, baselineTreeMb };
  } finally {
    clearInterval(sampler);
  }
}
