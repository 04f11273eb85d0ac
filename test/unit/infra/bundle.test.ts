// Bundles both handlers with local esbuild (as `cdk synth` does) and imports the built index.mjs in a
// plain Node child process without AWS access: the bundles must load and initialise (import only), and
// their minified stack traces must map back to src/ with the functions' NODE_OPTIONS.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { LAMBDA_NODE_OPTIONS } from '../../../infra/bundling.js';
import { readConfig } from '../../../infra/config.js';
import { KmsSignerStack } from '../../../infra/kms-signer-stack.js';

const outdir = mkdtempSync(join(tmpdir(), 'kms-signer-cdk-'));
afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

/** The asset directory of a function, read from the synthesised template's asset metadata. */
function assetDirs(): string[] {
  return readdirSync(outdir)
    .filter((d) => d.startsWith('asset.') && existsSync(join(outdir, d, 'index.mjs')))
    .map((d) => join(outdir, d));
}

describe('bundled handlers', () => {
  const app = new App({ outdir });
  new KmsSignerStack(app, 'Bundle', { config: readConfig(app.node) });
  app.synth();
  const dirs = assetDirs();

  it('produces one bundle per function', () => {
    expect(dirs).toHaveLength(2);
  });

  it.each([0, 1])('bundle %i loads in plain Node', (i) => {
    const entry = join(dirs[i]!, 'index.mjs');
    const script = `const m = await import(${JSON.stringify(entry)}); if (typeof m.handler !== 'function') process.exit(3); console.log('ok');`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH, AWS_EC2_METADATA_DISABLED: 'true' },
      cwd: outdir,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(out.trim()).toBe('ok');
  });

  it.each([0, 1])('bundle %i reports errors at src/ lines through its source map', (i) => {
    const entry = join(dirs[i]!, 'index.mjs');
    const map = JSON.parse(readFileSync(`${entry}.map`, 'utf8')) as { sourcesContent?: unknown };
    expect(map.sourcesContent).toBeUndefined(); // mappings only: a smaller map for Node to read at start-up
    // Without AWS_REGION the first invocation fails in loadConfig, before any network use.
    const script = `const { handler } = await import(${JSON.stringify(entry)}); await handler({}, {}).catch((e) => console.log(e.stack));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH, AWS_EC2_METADATA_DISABLED: 'true', NODE_OPTIONS: LAMBDA_NODE_OPTIONS },
      cwd: outdir,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(out).toMatch(/^ConfigError: AWS_REGION/);
    expect(out).toMatch(/at loadConfig \(.*src\/config\/config\.ts:\d+:\d+\)/);
  });
}, 120_000);
