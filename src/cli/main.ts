#!/usr/bin/env node
// The `kms-signer` bin: runs the CLI on this process's streams and exits with its code.
import { isatty } from 'node:tty';
import { runCli } from './run.js';

// The AWS SDK's notice that its 2027 releases need Node 22 is for whoever maintains the deployment,
// not for an operator running a command; an explicit setting in the environment still wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A reader that stops early (`kms-signer --help | head`) closes the pipe, and every later write fails
// with EPIPE, which Node raises as an 'error' event that would crash the process with a stack trace.
// The reader chose to stop: end quietly with the command's exit code so far (0 for --help).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

// First Ctrl-C: let the command wind down (a batch pauses after its current wallet, a KMS key being
// created gets its record). Second Ctrl-C: quit at once.
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(130);
  interrupt.abort(); // runCli says what happens now
});
// SIGTERM (systemd, ECS, Kubernetes): the daemon finishes the jobs in flight and exits.
process.on('SIGTERM', () => {
  interrupt.abort();
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  isTTY: { stdin: isatty(0), stdout: isatty(1), stderr: isatty(2) },
  signal: interrupt.signal,
});
