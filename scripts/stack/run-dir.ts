// One working directory per stack run, `.tmp/stack-<run-id>/`, holding every service's data plus a
// run.json that lists the parent and child PIDs. If a parent died without cleaning up (SIGKILL, OOM,
// a crashed CI step), the next start finds its run.json, kills the orphaned children that still run
// one of our binaries, and deletes the directory.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './tools.js';

const tmpRoot = path.join(repoRoot, '.tmp');
const PREFIX = 'stack-';

interface RunRecord {
  parentPid: number;
  startedAt: string;
  children: number[];
}

export interface RunDir {
  readonly runId: string;
  readonly dir: string;
  recordChild(pid: number): void;
  remove(): void;
}

function timestampId(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

export function createRunDir(): RunDir {
  const runId = `${timestampId()}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
  const dir = path.join(tmpRoot, PREFIX + runId);
  mkdirSync(dir, { recursive: true });
  const record: RunRecord = { parentPid: process.pid, startedAt: new Date().toISOString(), children: [] };
  const save = () => {
    writeFileSync(path.join(dir, 'run.json'), JSON.stringify(record, null, 2));
  };
  save();
  return {
    runId,
    dir,
    recordChild(pid) {
      record.children.push(pid);
      save();
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Only kill a PID whose command line still points into this checkout (PIDs get reused).
function isOurs(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(repoRoot);
  } catch {
    return false;
  }
}

function parseRecord(file: string): RunRecord | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { parentPid, children } = value as Partial<RunRecord>;
    if (typeof parentPid !== 'number' || !Array.isArray(children)) return undefined;
    return { parentPid, startedAt: '', children: children.filter((c): c is number => typeof c === 'number') };
  } catch {
    return undefined;
  }
}

/** Cleans up runs whose parent process is gone. Returns the number of directories removed. */
export function reapStaleRuns(): number {
  if (!existsSync(tmpRoot)) return 0;
  let reaped = 0;
  for (const entry of readdirSync(tmpRoot)) {
    if (!entry.startsWith(PREFIX)) continue;
    const dir = path.join(tmpRoot, entry);
    const record = parseRecord(path.join(dir, 'run.json'));
    if (!record || isAlive(record.parentPid)) continue;
    for (const pid of record.children) {
      if (isAlive(pid) && isOurs(pid)) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
    reaped++;
  }
  return reaped;
}
