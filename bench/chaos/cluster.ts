import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { anyFreePort } from "@/db/embedded";

/**
 * A PostgreSQL cluster of the chaos suite's own, on a free port, so that stopping, restarting and stalling
 * it never touches the machine's shared server. Debian's pg_createcluster/pg_ctlcluster manage it.
 */

function run(command: string, args: string[]) {
  return execFileSync(command, args, { stdio: ["ignore", "pipe", "pipe"] }).toString();
}

function installedVersion() {
  const versions = readdirVersions();
  if (versions.length === 0) throw new Error("no PostgreSQL installation under /usr/lib/postgresql");
  return versions.at(-1)!;
}

function readdirVersions() {
  return run("ls", ["/usr/lib/postgresql"]).split("\n").filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(a) - Number(b));
}

export type ChaosCluster = {
  url: string;
  stop: () => void;
  start: () => void;
  restart: () => void;
  /** SIGSTOP (true) or SIGCONT (false) to the postmaster and every backend: alive, answering nothing. */
  stall: (stalled: boolean) => void;
  drop: () => void;
};

export async function createChaosCluster(): Promise<ChaosCluster> {
  const version = installedVersion();
  const name = `chaos${process.pid}`;
  const port = await anyFreePort();
  run("pg_createcluster", [version, name, "-p", String(port), "--", "--auth-local=trust", "--auth-host=trust"]);
  const ctl = (action: string, ...extra: string[]) => run("pg_ctlcluster", ["--skip-systemctl-redirect", ...extra, version, name, action]);
  ctl("start");
  const dataDir = `/var/lib/postgresql/${version}/${name}`;
  const processes = () => {
    const postmaster = readFileSync(`${dataDir}/postmaster.pid`, "utf8").split("\n")[0]!.trim();
    const children = run("pgrep", ["-P", postmaster]).split("\n").filter(Boolean);
    return [postmaster, ...children].map(Number);
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => ctl("stop", "-m", "fast"),
    start: () => ctl("start"),
    restart: () => ctl("restart", "-m", "fast"),
    stall: (stalled) => {
      for (const pid of processes()) process.kill(pid, stalled ? "SIGSTOP" : "SIGCONT");
    },
    drop: () => {
      try {
        run("pg_dropcluster", ["--stop", version, name]);
      } catch (error) {
        console.error(`[chaos] could not drop cluster ${name}:`, (error as Error).message);
      }
    },
  };
}
