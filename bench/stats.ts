// Timing helpers shared by the benchmarks: a warm-up, then one sample per iteration in microseconds.

export interface Timing {
  iterations: number;
  medianUs: number;
  p99Us: number;
  meanUs: number;
}

function percentile(sorted: readonly number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

export function summarize(samplesUs: readonly number[]): Timing {
  const sorted = [...samplesUs].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    iterations: sorted.length,
    medianUs: round(percentile(sorted, 0.5)),
    p99Us: round(percentile(sorted, 0.99)),
    meanUs: round(total / sorted.length),
  };
}

export interface Measured {
  /** Wall-clock time per iteration. */
  wall: Timing;
  /** CPU time (user + system, every thread of the process) per iteration: excludes time spent waiting
   *  on timers or I/O, which is not local overhead. */
  cpu: Timing;
}

/** Runs `task` `warmup` times untimed, then `iterations` times timed one by one. */
export async function measure(
  task: () => unknown,
  iterations: number,
  warmup = Math.ceil(iterations / 4),
): Promise<Measured> {
  for (let i = 0; i < warmup; i += 1) await task();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    await task();
    wall.push(Number(process.hrtime.bigint() - start) / 1000);
    const used = process.cpuUsage(cpuStart);
    cpu.push(used.user + used.system);
  }
  return { wall: summarize(wall), cpu: summarize(cpu) };
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}
