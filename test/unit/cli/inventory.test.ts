import { describe, expect, it } from 'vitest';
import type { WalletView } from '../../../src/wallets/contract.js';
import { cli, type CliRunOptions } from '../../support/cli-harness.js';
import { FakeWalletService } from '../../support/fake-wallet-service.js';

async function setup() {
  const service = new FakeWalletService();
  const deps = {
    createContext: () => Promise.resolve({ walletService: service, close: () => Promise.resolve() }),
  };
  const run = (argv: string[], options: CliRunOptions = {}) => cli(argv, { deps, ...options });
  await run(['generatemanagedwallet', 'BTC']);
  await run(['generatemanagedwallet', 'BTC', '--testnet']);
  await run(['generatemanagedwallet', 'ETH', '--user', 'alice']);
  const { signatureId } = [...service.wallets.values()][2]!;
  await run(['removewallet', signatureId, '--yes']);
  service.calls.length = 0;
  return { service, run };
}

describe('export', () => {
  it('prints every wallet as one JSON line each (public data only)', async () => {
    const { service, run } = await setup();
    const out = await run(['export']);
    expect(out.code).toBe(0);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const parsed = lines.map((l) => JSON.parse(l) as WalletView);
    expect(parsed.map((w) => w.signatureId)).toEqual([...service.wallets.keys()]);
    expect(Object.keys(parsed[0]!).sort()).toEqual(
      [
        'signatureId',
        'userId',
        'chain',
        'asset',
        'network',
        'label',
        'status',
        'address',
        'addresses',
        'publicKey',
        'kmsKeyId',
        'kmsKeyArn',
        'keyOrigin',
        'keySpec',
        'deletionDate',
        'createdAt',
        'updatedAt',
      ].sort(),
    );
    expect(out.stderr).toBe('kms-signer: exported 3 wallets\n');
    expect(service.calls).toEqual([{ method: 'exportWallets', args: [{}] }]);
  });

  it('--format array prints one JSON array; --chain/--testnet/--user/--status filter', async () => {
    const { service, run } = await setup();
    const btcTestnet = await run(['export', '--chain', 'btc', '--testnet', '--format', 'array']);
    const array = JSON.parse(btcTestnet.stdout) as WalletView[];
    expect(array).toHaveLength(1);
    expect(array[0]).toMatchObject({ chain: 'BTC', network: 'testnet' });
    const pending = await run([
      '--chain',
      'ETH',
      'export',
      '--user',
      'alice',
      '--status',
      'pending_deletion',
    ]);
    expect(pending.stdout.trimEnd().split('\n')).toHaveLength(1);
    const none = await run(['export', '--chain', 'TRON', '--format', 'array']);
    expect(JSON.parse(none.stdout)).toEqual([]);
    expect(service.calls.map((c) => c.args[0])).toEqual([
      { chain: 'BTC', network: 'testnet' },
      { chain: 'ETH', userId: 'alice', status: 'PENDING_DELETION' },
      { chain: 'TRON' },
    ]);
  });

  it('refuses an unknown filter value (exit 2)', async () => {
    const { service, run } = await setup();
    expect((await run(['export', '--chain', 'DOT'])).stderr).toMatch(
      /^kms-signer: --chain: unknown chain "DOT"/,
    );
    expect((await run(['export', '--status', 'gone'])).stderr).toMatch(
      /^kms-signer: --status: unknown status/,
    );
    const format = await run(['export', '--format', 'csv']);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/^kms-signer: usage: option '--format <format>' argument 'csv' is invalid/);
    expect(service.calls).toEqual([]);
  });
});

describe('report', () => {
  it('prints counts by status and chain and the estimated key cost', async () => {
    const { run } = await setup();
    const out = await run(['report']);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(
      [
        'wallets             3 (CREATING 0, ACTIVE 2, DISABLED 0, PENDING_DELETION 1)',
        'KMS keys            3',
        'estimated key cost  $2.00/month (KMS bills $1 per key per month; keys pending deletion are free)',
        'by chain:',
        '  BTC mainnet  1',
        '  BTC testnet  1',
        '  ETH mainnet  1',
        '',
      ].join('\n'),
    );
  });

  it('--json prints the service report', async () => {
    const { run } = await setup();
    const out = await run(['report', '--json']);
    expect(JSON.parse(out.stdout)).toMatchObject({
      totals: { wallets: 3, keys: 3, byStatus: { ACTIVE: 2, PENDING_DELETION: 1 } },
      estimatedMonthlyKeyCostUsd: 2,
    });
  });
});

describe('commands over every chain and network', () => {
  it.each([['report'], ['reconcile'], ['checkconfig']])(
    '%s refuses --chain/--testnet (exit 2)',
    async (name) => {
      const { service, run } = await setup();
      const out = await run([name, '--testnet', '--chain', 'BTC']);
      expect(out.code).toBe(2);
      expect(out.stderr).toBe(
        `kms-signer: --chain, --testnet: ${name} covers every chain and network; it takes no --chain or --testnet\n`,
      );
      expect(service.calls).toEqual([]);
    },
  );
});

describe('reconcile', () => {
  it('--dry-run asks for a dry run and prints the report', async () => {
    const { service, run } = await setup();
    const out = await run(['reconcile', '--dry-run']);
    expect(out.code).toBe(0);
    expect(service.calls).toEqual([{ method: 'reconcile', args: [{ dryRun: true }] }]);
    expect(out.stdout).toBe(
      [
        'reconcile (dry run: nothing was changed)',
        'KMS keys without a record: 1',
        '  3f9e1c2a-0000-4000-8000-000000000001 signatureId=- → would adopt',
        'records without a usable key: 0',
        'unfinished records: 0',
        '',
      ].join('\n'),
    );
  });

  it('without --dry-run repairs; --grace-seconds is passed on; --json prints the report', async () => {
    const { service, run } = await setup();
    const out = await run(['reconcile', '--grace-seconds', '600', '--json']);
    expect(service.calls[0]!.args).toEqual([{ dryRun: false, graceSeconds: 600 }]);
    expect(JSON.parse(out.stdout)).toMatchObject({
      dryRun: false,
      keysWithoutRecord: [{ action: 'adopted' }],
    });
    expect((await run(['reconcile', '--grace-seconds', '-5'])).code).toBe(2);
  });
});
