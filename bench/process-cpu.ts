// CPU time of the local server behind a loopback port (the benchmark's FerretDB), read from Linux's
// /proc: it tells whether the database process was the busy one. Elsewhere, or when the server is not
// a local process started with --listen-addr (e.g. MONGODB_URI to a remote server), there is no reading.
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

/** Returns a reader of the CPU milliseconds used so far by the process listening on `port`. */
export function listenerCpuReader(port: string): (() => number) | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return undefined;
  }
  const pid = pids.find((p) => cmdline(p).includes(`--listen-addr=127.0.0.1:${port} `));
  if (pid === undefined) return undefined;
  return () => {
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  };
}
