// `kms-signer --help | head` must not crash: the bin, run as a child process whose stdout reader has
// already gone (the pipe is closed before it writes), exits 0 without an EPIPE stack trace.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function helpIntoClosedPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'src/cli/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader stops before the first byte, as `head -0` would
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stderr });
    });
  });
}

describe('the bin writing into a closed pipe', () => {
  it.each([[['--help']], [['daemon', '--help']]])(
    '%j exits 0 without EPIPE',
    { timeout: 60_000 },
    async (args) => {
      const { code, stderr } = await helpIntoClosedPipe(args);
      expect(stderr).not.toContain('EPIPE');
      expect(code).toBe(0);
    },
  );
});
