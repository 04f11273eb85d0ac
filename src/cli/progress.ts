// Progress of a batch, on stderr (stdout carries the result): a cli-progress bar on a terminal, plain
// "created n/total" lines otherwise (logs, CI, pipes), printed when the count changes.
import cliProgress from 'cli-progress';
import type { CliWritable } from './io.js';

export interface ProgressReporter {
  update(done: number): void;
  /** Idempotent; later updates are ignored. */
  stop(): void;
}

export function createProgress(
  stream: CliWritable,
  options: { total: number; label: string; tty: boolean },
): ProgressReporter {
  if (options.tty) return barProgress(stream, options.total, options.label);
  return lineProgress(stream, options.total, options.label);
}

function barProgress(stream: CliWritable, total: number, label: string): ProgressReporter {
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as NodeJS.WritableStream,
      format: `${label} [{bar}] {value}/{total} keys | {percentage}% | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  let running = true;
  return {
    update: (done) => {
      if (running) bar.update(done);
    },
    stop: () => {
      if (running) bar.stop();
      running = false;
    },
  };
}

function lineProgress(stream: CliWritable, total: number, label: string): ProgressReporter {
  let last = -1;
  let running = true;
  return {
    update: (done) => {
      if (!running || done === last) return;
      last = done;
      stream.write(`${label}: ${done}/${total} keys created\n`);
    },
    stop: () => {
      running = false;
    },
  };
}
