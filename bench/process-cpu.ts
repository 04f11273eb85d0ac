// CPU time of the local database behind a loopback port (the benchmark's FerretDB), read from Linux's
// /proc: it tells whether the database was the busy part. When FerretDB runs over a local PostgreSQL
// (`--postgresql-url=…127.0.0.1:<port>/…`, scripts/ferretdb-postgres.sh), the PostgreSQL server and its
// backends count too — they do the storage work. Elsewhere, or when the server is not a local process
// started with --listen-addr (e.g. MONGODB_URI to a remote server), there is no reading.
import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ, the unit of utime/stime in /proc/<pid>/stat, on every common platform. */
const TICKS_PER_SECOND = 100;

function cmdline(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Fields after the parenthesised command name: state is [0], ppid [1], utime [11], stime [12]. */
function statFields(pid: string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // the process ended
  }
}

function cpuMs(fields: string[], withReapedChildren: boolean): number {
  const ticks = [11, 12, ...(withReapedChildren ? [13, 14] : [])].reduce(
    (sum, i) => sum + Number(fields[i]),
    0,
  );
  return (ticks * 1000) / TICKS_PER_SECOND;
}

function processIds(): string[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
}

/** The PostgreSQL server (postmaster) a FerretDB command line points at, when it is local. */
function postgresServer(ferretCmdline: string, pids: readonly string[]): string | undefined {
  const port = /--postgresql-url=postgres(?:ql)?:\/\/[^ ]*@127\.0\.0\.1:(\d+)\//.exec(ferretCmdline)?.[1];
  if (port === undefined) return undefined;
  return pids.find((p) => {
    const line = cmdline(p);
    return / -p (\d+) /.exec(`${line} `)?.[1] === port && line.includes('postgres');
  });
}

/** CPU ms of the server and its live children, plus the children it has reaped (ended backends). */
function treeCpuMs(serverPid: string): number {
  const server = statFields(serverPid);
  if (server === undefined) return 0;
  let total = cpuMs(server, true);
  for (const pid of processIds()) {
    const fields = statFields(pid);
    if (fields?.[1] === serverPid) total += cpuMs(fields, false);
  }
  return total;
}

/** Returns a reader of the CPU milliseconds used so far by the database listening on `port`. */
export function listenerCpuReader(port: string): (() => number) | undefined {
  let pids: string[];
  try {
    pids = processIds();
  } catch {
    return undefined;
  }
  const pid = pids.find((p) => cmdline(p).includes(`--listen-addr=127.0.0.1:${port} `));
  if (pid === undefined) return undefined;
  const postgres = postgresServer(cmdline(pid), pids);
  return () => {
    const ferret = statFields(pid);
    return (ferret ? cpuMs(ferret, false) : 0) + (postgres === undefined ? 0 : treeCpuMs(postgres));
  };
}

/** MONGODB_URI and the CPU reader of the local FerretDB it names (scripts/ferretdb-postgres.sh); throws otherwise. */
export function localFerretDbFromEnv(): { uri: string; cpu: () => number } {
  const uri = process.env.MONGODB_URI;
  if (uri === undefined) throw new Error('set MONGODB_URI (scripts/ferretdb-postgres.sh start DIR)');
  const cpu = listenerCpuReader(new URL(uri).port);
  if (cpu === undefined) throw new Error('MONGODB_URI is not a local FerretDB started with --listen-addr');
  return { uri, cpu };
}
