// Reading from stdin: a hidden prompt on a terminal (raw mode, nothing echoed), everything piped in
// otherwise, and a visible one-line answer for confirmations. Secrets are collected into Buffers that
// are zeroed as soon as they have been copied, never into strings.
import { CliError, EXIT, usageError } from './errors.js';
import type { CliReadable, CliWritable } from './io.js';

/** More than any key encoding needs; a larger input is refused rather than buffered. */
export const MAX_SECRET_BYTES = 1024;
const MAX_ANSWER_BYTES = 4096;

const CTRL_C = 0x03;
const CTRL_D = 0x04;
const BACKSPACE = 0x08;
const DELETE = 0x7f;
const LF = 0x0a;
const CR = 0x0d;

/** What a chunk handler decides: read on, stop, or fail. */
type Verdict = 'more' | 'done' | Error;

/**
 * Feeds stdin's chunks to `handle` until it says done (or stdin ends, or `signal` aborts), then stops
 * listening and pauses stdin so that the process can exit. Each chunk is zeroed after `handle` saw it.
 */
function consume(
  stdin: CliReadable,
  handle: (bytes: Buffer) => Verdict,
  field: string,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const finish = (verdict: Exclude<Verdict, 'more'>): void => {
      stdin.removeListener('data', onData);
      stdin.removeListener('end', onEnd);
      stdin.removeListener('error', finish);
      signal?.removeEventListener('abort', onAbort);
      stdin.pause();
      if (verdict === 'done') resolve();
      else reject(verdict);
    };
    const onEnd = (): void => {
      finish('done');
    };
    const onAbort = (): void => {
      finish(new CliError(EXIT.FAILURE, field, 'cancelled'));
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      let verdict: Verdict;
      try {
        verdict = handle(bytes);
      } finally {
        bytes.fill(0);
      }
      if (verdict !== 'more') finish(verdict);
    };
    if (signal?.aborted === true) {
      onAbort();
      return;
    }
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.once('error', finish);
    signal?.addEventListener('abort', onAbort, { once: true });
    stdin.resume();
  });
}

/**
 * Prompts on `prompt` (stderr) and reads one line from a terminal with echo off. Needs raw mode:
 * a terminal that cannot turn echo off is refused rather than shown the secret.
 */
export async function readHiddenLine(
  stdin: CliReadable,
  prompt: CliWritable,
  question: string,
  field: string,
): Promise<Buffer> {
  if (typeof stdin.setRawMode !== 'function') {
    throw usageError(field, 'this terminal cannot hide input; pipe the key on stdin instead');
  }
  const setRawMode = stdin.setRawMode.bind(stdin);
  const secret = Buffer.alloc(MAX_SECRET_BYTES);
  let length = 0;
  const cancelled = (): CliError => new CliError(EXIT.FAILURE, field, 'cancelled');
  prompt.write(question);
  setRawMode(true);
  try {
    // In raw mode Ctrl-C arrives as a byte, not as SIGINT.
    await consume(
      stdin,
      (bytes) => {
        for (const b of bytes) {
          if (b === CR || b === LF) return 'done';
          if (b === CTRL_C) return cancelled();
          if (b === CTRL_D) return length === 0 ? cancelled() : 'done';
          if (b === BACKSPACE || b === DELETE) {
            if (length > 0) secret[--length] = 0;
          } else if (b >= 0x20) {
            // other control characters (arrow keys' escape sequences start with 0x1b) are ignored
            if (length === MAX_SECRET_BYTES)
              return usageError(field, `input longer than ${MAX_SECRET_BYTES} bytes`);
            secret[length++] = b;
          }
        }
        return 'more';
      },
      field,
    );
    return copyAndZero(secret, length);
  } finally {
    setRawMode(false);
    prompt.write('\n');
    secret.fill(0);
  }
}

/** Reads everything piped into stdin (up to MAX_SECRET_BYTES), zeroing each chunk after copying it. */
export async function readPiped(stdin: CliReadable, field: string): Promise<Buffer> {
  const secret = Buffer.alloc(MAX_SECRET_BYTES);
  let length = 0;
  try {
    await consume(
      stdin,
      (bytes) => {
        if (length + bytes.length > MAX_SECRET_BYTES) {
          return usageError(field, `more than ${MAX_SECRET_BYTES} bytes on stdin; expected one key`);
        }
        bytes.copy(secret, length);
        length += bytes.length;
        return 'more';
      },
      field,
    );
    return copyAndZero(secret, length);
  } finally {
    secret.fill(0);
  }
}

/** Prompts and reads one visible line (for confirmations); the answer is trimmed. */
export async function readVisibleLine(
  stdin: CliReadable,
  prompt: CliWritable,
  question: string,
  field: string,
  signal?: AbortSignal,
): Promise<string> {
  prompt.write(question);
  const answer = Buffer.alloc(MAX_ANSWER_BYTES);
  let length = 0;
  await consume(
    stdin,
    (bytes) => {
      const newline = bytes.indexOf(LF);
      const line = newline === -1 ? bytes : bytes.subarray(0, newline);
      length += line.copy(answer, length);
      return newline !== -1 || length === MAX_ANSWER_BYTES ? 'done' : 'more';
    },
    field,
    signal,
  );
  return answer.toString('utf8', 0, length).trim();
}

function copyAndZero(source: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  source.copy(out, 0, 0, length);
  source.fill(0);
  return out;
}
