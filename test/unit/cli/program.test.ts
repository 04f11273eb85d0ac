import { describe, expect, it } from 'vitest';
import type { CliDeps } from '../../../src/cli/run.js';
import { WalletError } from '../../../src/wallets/contract.js';
import { cli } from '../../support/cli-harness.js';
import { FakeWalletService } from '../../support/fake-wallet-service.js';

function failingDeps(error: Error): { deps: CliDeps; closed: () => number } {
  const service = new FakeWalletService();
  service.getWallet = () => Promise.reject(error);
  let closed = 0;
  return {
    deps: {
      createContext: () =>
        Promise.resolve({
          walletService: service,
          close: () => {
            closed++;
            return Promise.resolve();
          },
        }),
    },
    closed: () => closed,
  };
}

const ID = '5f0c6c55-8f43-4c1e-9a55-0c0b3c1f2a10';

describe('kms-signer program', () => {
  it('--help lists the tatum-kms style commands, the exit codes and the no-private-key rule (exit 0)', async () => {
    const out = await cli(['--help']);
    expect(out.code).toBe(0);
    for (const name of [
      'generatemanagedwallet',
      'generatemanagedprivatekeybatch',
      'storemanagedprivatekey',
      'getaddress',
      'getmanagedwallet',
      'removewallet',
      'export',
      'report',
      'checkconfig',
      'reconcile',
    ]) {
      expect(out.stdout).toContain(`  ${name}`);
    }
    for (const option of ['--testnet', '--chain <chain>', '--json', '--env-file <path>']) {
      expect(out.stdout).toContain(option);
    }
    expect(out.stdout).toContain('Exit codes: 0 ok, 2 usage or validation error, 3 not found, 4 conflict');
    expect(out.stdout).toContain('No command reveals a private key: none exists outside AWS KMS');
    expect(out.stdout).not.toContain('getprivatekey'); // hidden compatibility stub
  });

  it('getmanagedwallet --help says no command reveals a private key', async () => {
    const out = await cli(['getmanagedwallet', '--help']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('No command reveals a private key');
  });

  it('no command: help on stderr, exit 2; unknown command or option: one line, exit 2', async () => {
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: kms-signer');
    const unknown = await cli(['listwallets']);
    expect(unknown).toEqual({
      code: 2,
      stdout: '',
      stderr: "kms-signer: usage: unknown command 'listwallets'\n",
    });
    const option = await cli(['report', '--verbose']);
    expect(option).toEqual({
      code: 2,
      stdout: '',
      stderr: "kms-signer: usage: unknown option '--verbose'\n",
    });
  });

  it.each([['getprivatekey'], ['generatewallet'], ['storemanagedwallet']])(
    'tatum-kms %s explains what to use instead (exit 2)',
    async (name) => {
      const out = await cli([name, 'BTC', '--testnet']);
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(new RegExp(`^kms-signer: ${name}: not available: .+\n$`));
    },
  );

  it('daemon refuses to start on mainnet without --externalUrl (exit 2)', async () => {
    const out = await cli(['daemon', '--runOnce']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--externalUrl: is mandatory on mainnet/);
  });

  it('daemon with FOUR_EYE_SECRET refuses a short secret and GET (kms-signer approvals needs POST)', async () => {
    const short = await cli(['daemon', '--testnet', '--runOnce'], { env: { FOUR_EYE_SECRET: 'short' } });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('FOUR_EYE_SECRET: must be at least 32 characters');
    const get = await cli(['daemon', '--testnet', '--runOnce'], { env: { FOUR_EYE_SECRET: 's'.repeat(32) } });
    expect(get.code).toBe(2);
    expect(get.stderr).toContain('--externalUrlMethod: must be POST with FOUR_EYE_SECRET');
  });

  it.each([
    ['--concurrency', '0', 'must be ≥ 1'],
    ['--writeBatches', '0', 'must be a whole number from 1 to 8'],
    ['--writeBatches', '9', 'must be a whole number from 1 to 8'],
    ['--writeBatches', '1.5', 'must be a whole number from 1 to 8'],
    ['--walletRefresh', '-5', 'must be a whole number of seconds from 0 to 3600'],
    ['--walletRefresh', '2.5', 'must be a whole number of seconds from 0 to 3600'],
    ['--lease', '5', 'must be a whole number of seconds from 10 to 3600'],
    ['--lease', 'soon', 'must be a whole number of seconds from 10 to 3600'],
    ['--reportRetriesAfter', '-1', 'must be a whole number of seconds (0 = never)'],
    ['--reportRetriesAfter', '1h', 'must be a whole number of seconds (0 = never)'],
  ])('daemon %s %s is refused before anything starts (exit 2)', async (flag, value, reason) => {
    const out = await cli(['daemon', '--testnet', '--runOnce', flag, value]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`${flag}: ${reason}`);
  });

  it('daemon refuses a policy whose allow-list holds an address of another network, naming the entry (exit 2)', async () => {
    const policy = JSON.stringify({
      BTC: {
        allowedDestinations: [
          'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx',
          'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
        ],
      },
    });
    const out = await cli(['daemon', '--testnet', '--runOnce', '--externalUrl', 'http://127.0.0.1:9/x'], {
      env: { SIGNING_POLICY: policy },
    });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(
      'SIGNING_POLICY: BTC.allowedDestinations.1: "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq" is not a testnet address',
    );
  });

  it('getprivatekey says keys never leave KMS', async () => {
    const out = await cli(['getprivatekey', ID]);
    expect(out.stderr).toBe(
      'kms-signer: getprivatekey: not available: private keys never leave AWS KMS, so no command can show one; use getaddress or getmanagedwallet for public data\n',
    );
  });

  it.each([
    [new WalletError('NOT_FOUND', 'no such wallet'), 3, `kms-signer: signatureId: no such wallet (${ID})`],
    [new WalletError('CONFLICT', 'busy'), 4, `kms-signer: signatureId: busy (${ID})`],
    [
      new WalletError('INVALID_STATE', 'wallet is DISABLED', 'status'),
      4,
      'kms-signer: status: wallet is DISABLED',
    ],
    [new WalletError('IDEMPOTENCY_MISMATCH', 'other body'), 4, `kms-signer: signatureId: other body (${ID})`],
    [new WalletError('VALIDATION', 'signatureId: bad', 'signatureId'), 2, 'kms-signer: signatureId: bad'],
    [new WalletError('UNAVAILABLE', 'KMS throttled'), 1, `kms-signer: signatureId: KMS throttled (${ID})`],
    [new Error('boom'), 1, 'kms-signer: error: boom'],
  ])('maps %s to exit %i with one line', async (error, code, line) => {
    const { deps, closed } = failingDeps(error);
    const out = await cli(['getmanagedwallet', ID], { deps });
    expect(out).toEqual({ code, stdout: '', stderr: `${line}\n` });
    expect(closed()).toBe(1);
  });

  it('never prints a stack trace, credentials or key-like hex from an unexpected error', async () => {
    const error = new Error(
      'failed talking to mongodb://root:s3cret@10.1.2.3:27017/?replicaSet=rs0\n    at Object.<anonymous> (/app/x.js:1:1)\n' +
        'key 4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318',
    );
    const { deps } = failingDeps(error);
    const out = await cli(['getmanagedwallet', ID], { deps });
    expect(out.code).toBe(1);
    expect(out.stderr.split('\n')).toHaveLength(2); // one line + final newline
    expect(out.stderr).not.toContain('s3cret');
    expect(out.stderr).not.toContain('4c0883a69102937d');
    expect(out.stderr).toContain('[redacted]');
  });

  it('a context that fails to open is reported in one line (exit 1)', async () => {
    const out = await cli(['report'], {
      deps: { createContext: () => Promise.reject(new Error('Secrets Manager: cannot read secret arn:…')) },
    });
    expect(out).toEqual({
      code: 1,
      stdout: '',
      stderr: 'kms-signer: error: Secrets Manager: cannot read secret arn:…\n',
    });
  });

  it('opens no context for usage errors and help', async () => {
    let opened = 0;
    const deps: CliDeps = {
      createContext: () => {
        opened++;
        return Promise.reject(new Error('x'));
      },
    };
    await cli(['getaddress', 'not-a-uuid'], { deps });
    await cli(['--help'], { deps });
    await cli(['generatemanagedwallet', 'NOPE'], { deps });
    expect(opened).toBe(0);
  });
});
