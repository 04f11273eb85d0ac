import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeConfig } from '../../../src/cli/config-summary.js';
import type { CliDeps } from '../../../src/cli/run.js';
import { DatabaseUnavailableError } from '../../../src/db/index.js';
import { cli } from '../../support/cli-harness.js';
import { FakeWalletService } from '../../support/fake-wallet-service.js';

const ENV = {
  MONGODB_URI: 'mongodb://admin:hunter2pass@db.internal:27017/kms?authSource=admin&tls=true',
  MONGODB_DB: 'wallets',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEKEYID0000',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

function deps(service = new FakeWalletService(), extra: Partial<CliDeps> = {}): CliDeps {
  return {
    createContext: () => Promise.resolve({ walletService: service, close: () => Promise.resolve() }),
    describeConfig,
    ...extra,
  };
}

function expectNoSecrets(text: string): void {
  for (const secret of ['hunter2pass', 'admin:', 'wJalrXUtnFEMI', 'AKIAEXAMPLEKEYID0000', 'authSource']) {
    expect(text).not.toContain(secret);
  }
}

describe('checkconfig', () => {
  it('lists the settings with the URI masked and reports MongoDB and KMS OK (exit 0)', async () => {
    const out = await cli(['checkconfig'], { env: ENV, deps: deps() });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('  MONGODB_URI             mongodb://****@db.internal:27017/kms?…\n');
    expect(out.stdout).toContain('  MONGODB_DB              wallets\n');
    expect(out.stdout).toContain('  AWS_REGION              eu-west-1\n');
    expect(out.stdout).toContain('  AWS_ENDPOINT_URL        (not set: AWS endpoints)\n');
    expect(out.stdout).toContain(
      '  AWS credentials         environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; values hidden)\n',
    );
    expect(out.stdout).toMatch(/^MongoDB +OK$/m);
    expect(out.stdout).toMatch(/^KMS +OK$/m);
    expect(out.stdout).toMatch(/all checks passed\n$/);
    expectNoSecrets(out.stdout + out.stderr);
  });

  it('--json gives the same facts, still masked', async () => {
    const out = await cli(['checkconfig', '--json'], { env: ENV, deps: deps() });
    const json = JSON.parse(out.stdout) as { ok: boolean; settings: { name: string; value: string }[] };
    expect(json).toMatchObject({ ok: true, config: 'ok', mongo: 'ok', kms: 'ok', problems: [] });
    expect(json.settings.find((s) => s.name === 'MONGODB_URI')!.value).toBe(
      'mongodb://****@db.internal:27017/kms?…',
    );
    expectNoSecrets(out.stdout);
  });

  it('a missing setting is a configuration error (exit 2) and nothing is connected', async () => {
    let opened = 0;
    const out = await cli(['checkconfig'], {
      env: { AWS_REGION: 'eu-west-1' },
      deps: deps(undefined, {
        createContext: () => {
          opened++;
          return Promise.reject(new Error('must not connect'));
        },
      }),
    });
    expect(out.code).toBe(2);
    expect(opened).toBe(0);
    expect(out.stdout).toMatch(/^configuration +INVALID$/m);
    expect(out.stdout).toMatch(/^MongoDB +NOT CHECKED$/m);
    expect(out.stdout).toContain(
      'problem: MONGODB_URI: set exactly one of MONGODB_URI and MONGODB_URI_SECRET_ARN\n',
    );
    expect(out.stderr).toBe(
      'kms-signer: MONGODB_URI: set exactly one of MONGODB_URI and MONGODB_URI_SECRET_ARN\n',
    );
  });

  it('the default loader is used when no deps are given: an empty environment fails before connecting', async () => {
    const out = await cli(['checkconfig'], { env: {} });
    expect(out.code).toBe(2);
    expect(out.stderr).toBe('kms-signer: AWS_REGION: is required\n');
  });

  it('MongoDB unreachable: reported DOWN, exit 1, no credentials in the message', async () => {
    const out = await cli(['checkconfig'], {
      env: ENV,
      deps: deps(undefined, {
        createContext: () =>
          Promise.reject(
            new DatabaseUnavailableError('MongoDB: cannot connect (connect ECONNREFUSED 10.0.0.5:27017)'),
          ),
      }),
    });
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/^MongoDB +DOWN$/m);
    expect(out.stdout).toMatch(/^KMS +NOT CHECKED$/m);
    expect(out.stderr).toBe('kms-signer: MongoDB: cannot connect (connect ECONNREFUSED 10.0.0.5:27017)\n');
    expectNoSecrets(out.stdout + out.stderr);
  });

  it('KMS down according to health(): exit 1', async () => {
    const service = new FakeWalletService();
    service.healthResult = { mongo: 'ok', kms: 'down' };
    const out = await cli(['checkconfig'], { env: ENV, deps: deps(service) });
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/^KMS +DOWN$/m);
    expect(out.stderr).toBe('kms-signer: KMS: not reachable (down)\n');
  });

  it('--env-file supplies settings the environment lacks; the environment wins; a missing file is exit 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kms-signer-cli-'));
    const file = path.join(dir, 'kms-signer.env');
    writeFileSync(
      file,
      'MONGODB_URI=mongodb://u:filepass@file-host:27017/\nMONGODB_DB=fromfile\nAWS_REGION=us-west-2\n',
    );
    const out = await cli(['checkconfig', '--env-file', file], {
      env: { AWS_REGION: 'eu-central-1' },
      deps: deps(),
    });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`  env file                ${file}\n`);
    expect(out.stdout).toContain('  MONGODB_URI             mongodb://****@file-host:27017/\n');
    expect(out.stdout).toContain('  MONGODB_DB              fromfile\n');
    expect(out.stdout).toContain('  AWS_REGION              eu-central-1\n');
    expect(out.stdout).not.toContain('filepass');
    const missing = await cli(['checkconfig', '--env-file', path.join(dir, 'nope.env')], {
      env: {},
      deps: deps(),
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `kms-signer: --env-file: cannot read ${path.join(dir, 'nope.env')} (ENOENT)\n`,
    );
  });
});
