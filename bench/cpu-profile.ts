// A CPU profile of this thread (the signing loop's) over one measured stretch, taken with node:inspector
// from inside the run: `node --cpu-prof` writes its file at thread exit, and the main thread's profile was
// lost when the benchmark process ended natively while closing the stand-ins' worker (issue 16). Set
// BENCH_CPU_PROFILE=<directory> to write one .cpuprofile per throughput run; summarise one with
// `npx tsx bench/cpu-profile-top.ts <file>`.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';

/** Microseconds between samples (V8's default is 1,000; finer shows the short per-job functions). */
const SAMPLING_INTERVAL_US = 200;

/** Starts profiling when BENCH_CPU_PROFILE is set; the returned function stops and writes `name`.cpuprofile. */
export async function startCpuProfile(name: string): Promise<() => Promise<string | undefined>> {
  const dir = process.env.BENCH_CPU_PROFILE?.trim();
  if (!dir) return () => Promise.resolve(undefined);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${name}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    console.error(`throughput: CPU profile of the loop thread written to ${file}`);
    return file;
  };
}
