import { describe, expect, it } from 'vitest';
import { CHAIN_IDS, validateAddress } from '../../../src/chains/index.js';
import { cli, type CliRunOptions } from '../../support/cli-harness.js';
import { FakeWalletService } from '../../support/fake-wallet-service.js';

function setup() {
  const service = new FakeWalletService();
  let opened = 0;
  let closed = 0;
  const deps = {
    createContext: () => {
      opened++;
      return Promise.resolve({
        walletService: service,
        close: () => {
          closed++;
          return Promise.resolve();
        },
      });
    },
  };
  const run = (argv: string[], options: CliRunOptions = {}) => cli(argv, { deps, ...options });
  return { service, run, counts: () => ({ opened, closed }) };
}

/** The value printed on the `name   value` line of human output. */
function field(stdout: string, name: string): string | undefined {
  return stdout
    .split('\n')
    .find((line) => line.startsWith(`${name} `))
    ?.slice(name.length)
    .trim();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('generatemanagedwallet', () => {
  it('creates a mainnet wallet for the operator with the native asset and prints signatureId and address', async () => {
    const { service, run, counts } = setup();
    const out = await run(['generatemanagedwallet', 'BTC']);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    const [wallet] = [...service.wallets.values()];
    expect(service.calls[0]).toEqual({
      method: 'createWallet',
      args: [{ userId: 'operator', chain: 'BTC', asset: 'BTC', network: 'mainnet' }, undefined],
    });
    expect(out.stdout).toBe(
      `signatureId  ${wallet!.signatureId}\naddress      ${wallet!.address}\nchain        BTC (mainnet)\n`,
    );
    expect(counts()).toEqual({ opened: 1, closed: 1 });
  });

  it('--testnet --json --user --asset --label: the whole public view as JSON', async () => {
    const { service, run } = setup();
    const out = await run([
      '--testnet',
      'generatemanagedwallet',
      'eth',
      '--user',
      'alice',
      '--asset',
      'usdt',
      '--label',
      'hot 1',
      '--json',
    ]);
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      chain: 'ETH',
      network: 'testnet',
      userId: 'alice',
      asset: 'USDT',
      label: 'hot 1',
    });
    expect(json.signatureId).toMatch(UUID);
    expect(validateAddress('ETH', 'testnet', json.address as string).valid).toBe(true);
    expect(service.calls[0]!.args[0]).toEqual({
      userId: 'alice',
      chain: 'ETH',
      asset: 'USDT',
      network: 'testnet',
      label: 'hot 1',
    });
  });

  it('refuses an unknown chain, a chain without that network and a contradicting --chain (exit 2, no service call)', async () => {
    const { service, run, counts } = setup();
    const unknown = await run(['generatemanagedwallet', 'DOT']);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toBe(
      `kms-signer: chain: unknown chain "DOT"; supported: ${CHAIN_IDS.join(', ')}\n`,
    );
    const beacon = await run(['generatemanagedwallet', 'bnb']);
    expect(beacon).toMatchObject({ code: 2, stdout: '' });
    expect(beacon.stderr).toMatch(
      /^kms-signer: chain: BNB is not supported: BNB Beacon Chain .* shut down in December 2024/,
    );
    const regtest = await run(['generatemanagedwallet', 'ETH', '--network', 'regtest']);
    expect(regtest.code).toBe(2);
    expect(regtest.stderr).toBe('kms-signer: network: ETH has no regtest; supported: mainnet, testnet\n');
    const contradiction = await run(['--chain', 'BTC', 'generatemanagedwallet', 'ETH']);
    expect(contradiction.code).toBe(2);
    expect(contradiction.stderr).toMatch(/^kms-signer: --chain: BTC contradicts the <chain> argument ETH\n$/);
    const both = await run(['generatemanagedwallet', 'BTC', '--testnet', '--network', 'mainnet']);
    expect(both.stderr).toBe('kms-signer: --testnet: contradicts --network mainnet\n');
    expect(service.calls).toEqual([]);
    expect(counts().opened).toBe(0);
  });

  it('maps the service refusing the asset to exit 2 with the field', async () => {
    const { run } = setup();
    const out = await run(['generatemanagedwallet', 'BTC', '--asset', 'DOGE']);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe('kms-signer: asset: asset DOGE is not carried by BTC\n');
  });

  it('a missing <chain> is a usage error', async () => {
    const { run } = setup();
    const out = await run(['generatemanagedwallet']);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe("kms-signer: usage: missing required argument 'chain'\n");
  });
});

describe('getmanagedwallet / getaddress', () => {
  async function withWallet() {
    const ctx = setup();
    const created = await ctx.run(['generatemanagedwallet', 'LTC', '--json']);
    const wallet = JSON.parse(created.stdout) as { signatureId: string; address: string; publicKey: string };
    ctx.service.calls.length = 0;
    return { ...ctx, wallet };
  }

  it('getmanagedwallet prints public data only, human and JSON', async () => {
    const { run, wallet } = await withWallet();
    const human = await run(['getmanagedwallet', wallet.signatureId]);
    expect(human.code).toBe(0);
    expect(field(human.stdout, 'signatureId')).toBe(wallet.signatureId);
    expect(field(human.stdout, 'address')).toBe(wallet.address);
    expect(field(human.stdout, '  p2sh-p2wpkh')).toMatch(/^M/);
    expect(field(human.stdout, 'publicKey')).toBe(wallet.publicKey);
    expect(field(human.stdout, 'keyOrigin')).toBe('AWS_KMS');
    expect(field(human.stdout, 'chain')).toBe('LTC (mainnet)');
    expect(human.stdout).not.toMatch(/private/i);
    const json = await run(['getmanagedwallet', wallet.signatureId, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ signatureId: wallet.signatureId, status: 'ACTIVE' });
  });

  it('getmanagedwallet: unknown id exits 3, a non-UUID exits 2 without asking the service', async () => {
    const { service, run } = await withWallet();
    const missing = await run(['getmanagedwallet', '00000000-0000-4000-8000-000000000000']);
    expect(missing).toMatchObject({ code: 3, stdout: '' });
    expect(missing.stderr).toBe(
      'kms-signer: signatureId: no such wallet (00000000-0000-4000-8000-000000000000)\n',
    );
    const bad = await run(['getmanagedwallet', 'wallet-1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('kms-signer: signatureId: expected a UUID such as 0b5d2f9e-…, got "wallet-1"\n');
    expect(service.calls.map((c) => c.method)).toEqual(['getWallet']);
  });

  it('--testnet/--network/--chain on a one-wallet command must describe that wallet (tatum-kms habit)', async () => {
    const { run, wallet } = await withWallet(); // LTC mainnet
    expect(
      (await run(['getaddress', wallet.signatureId, '1', '--chain', 'LTC', '--network', 'mainnet'])).code,
    ).toBe(0);
    const testnet = await run(['getaddress', wallet.signatureId, '--testnet']);
    expect(testnet.code).toBe(2);
    expect(testnet.stderr).toBe(
      `kms-signer: --testnet: wallet ${wallet.signatureId} is a LTC mainnet wallet\n`,
    );
    const chain = await run(['--chain', 'BTC', 'getmanagedwallet', wallet.signatureId]);
    expect(chain.stderr).toBe(`kms-signer: --chain: wallet ${wallet.signatureId} is a LTC mainnet wallet\n`);
    const removal = await run(['removewallet', wallet.signatureId, '--yes', '--testnet']);
    expect(removal.code).toBe(2);
  });

  it('getaddress defaults to index 0 and creates index 2 on demand', async () => {
    const { service, run, wallet } = await withWallet();
    const zero = await run(['getaddress', wallet.signatureId]);
    expect(zero.code).toBe(0);
    expect(field(zero.stdout, 'index')).toBe('0');
    expect(field(zero.stdout, 'address')).toBe(wallet.address);
    const two = await run(['getaddress', wallet.signatureId, '2', '--json']);
    const key = JSON.parse(two.stdout) as { index: number; address: string; signatureId: string };
    expect(key).toMatchObject({ index: 2, signatureId: wallet.signatureId });
    expect(key.address).not.toBe(wallet.address);
    expect(validateAddress('LTC', 'mainnet', key.address).valid).toBe(true);
    expect(service.calls.map((c) => c.args)).toEqual([
      [wallet.signatureId, 0],
      [wallet.signatureId, 2],
    ]);
  });

  it.each([['-1'], ['abc'], ['1.5'], ['2147483648'], ['0x10']])(
    'getaddress refuses index %s (exit 2)',
    async (index) => {
      const { service, run, wallet } = await withWallet();
      const out = await run(['getaddress', wallet.signatureId, index]);
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(/^kms-signer: (index|usage): /);
      expect(service.calls).toEqual([]);
    },
  );
});

describe('removewallet', () => {
  async function withWallet() {
    const ctx = setup();
    const created = await ctx.run(['generatemanagedwallet', 'TRON', '--json']);
    const { signatureId } = JSON.parse(created.stdout) as { signatureId: string };
    ctx.service.calls.length = 0;
    return { ...ctx, signatureId };
  }

  it('refuses without --yes when stdin is not a terminal (exit 2, nothing scheduled)', async () => {
    const { service, run, signatureId } = await withWallet();
    const out = await run(['removewallet', signatureId], { stdin: `${signatureId}\n` });
    expect(out.code).toBe(2);
    expect(out.stderr).toBe(
      'kms-signer: --yes: removewallet needs --yes when stdin is not a terminal; nothing was changed\n',
    );
    expect(service.calls).toEqual([]);
    expect(service.wallets.get(signatureId)!.status).toBe('ACTIVE');
  });

  it('--yes schedules deletion with the default 30 days', async () => {
    const { service, run, signatureId } = await withWallet();
    const out = await run(['removewallet', signatureId, '--yes']);
    expect(out.code).toBe(0);
    expect(service.calls).toEqual([{ method: 'scheduleWalletDeletion', args: [signatureId, 30] }]);
    expect(out.stdout).toMatch(
      new RegExp(`^signatureId   ${signatureId}\nstatus        PENDING_DELETION\ndeletionDate  \\d{4}-`),
    );
  });

  it('on a terminal, typing the signatureId confirms; --pending-days 7 is passed on', async () => {
    const { service, run, signatureId } = await withWallet();
    const out = await run(['removewallet', signatureId, '--pending-days', '7', '--json'], {
      tty: true,
      stdin: (stdin) => stdin.write(`${signatureId}\n`),
    });
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('Type the signatureId to confirm: ');
    expect(JSON.parse(out.stdout)).toMatchObject({ status: 'PENDING_DELETION' });
    expect(service.calls).toEqual([{ method: 'scheduleWalletDeletion', args: [signatureId, 7] }]);
  });

  it('on a terminal, anything else typed aborts (exit 2, nothing scheduled)', async () => {
    const { service, run, signatureId } = await withWallet();
    const out = await run(['removewallet', signatureId], {
      tty: true,
      stdin: (stdin) => stdin.write('yes\n'),
    });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(
      'kms-signer: confirmation: the text typed is not the signatureId; nothing was changed\n',
    );
    expect(service.calls).toEqual([]);
  });

  it('Ctrl-C at the confirmation prompt cancels (exit 1, nothing scheduled)', async () => {
    const { service, run, signatureId } = await withWallet();
    const interrupt = new AbortController();
    const out = await run(['removewallet', signatureId], {
      tty: true,
      signal: interrupt.signal,
      stdin: () =>
        setTimeout(() => {
          interrupt.abort();
        }, 5),
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('kms-signer: confirmation: cancelled\n');
    expect(service.calls).toEqual([]);
  });

  it.each([['6'], ['31'], ['x']])('refuses --pending-days %s (exit 2)', async (days) => {
    const { service, run, signatureId } = await withWallet();
    const out = await run(['removewallet', signatureId, '--yes', '--pending-days', days]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^kms-signer: --pending-days: /);
    expect(service.calls).toEqual([]);
  });

  // Like KmsWalletService (test/integration/wallets-crud.test.ts): repeating a removal finishes an
  // interrupted one and keeps the first deletion date; a wallet still being created cannot be removed.
  it('a second removal repeats the first; removing a CREATING wallet is an invalid state (exit 4); an unknown wallet is not found (exit 3)', async () => {
    const { service, run, signatureId } = await withWallet();
    const first = await run(['removewallet', signatureId, '--yes', '--json']);
    expect(first.code).toBe(0);
    const again = await run(['removewallet', signatureId, '--yes', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      status: 'PENDING_DELETION',
      deletionDate: (JSON.parse(first.stdout) as { deletionDate: string }).deletionDate,
    });
    const creating = service.seed(
      { userId: 'operator', chain: 'TRON', asset: 'TRX', network: 'mainnet' },
      'CREATING',
    );
    const refused = await run(['removewallet', creating.signatureId, '--yes']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toBe(
      `kms-signer: signatureId: cannot delete a wallet in status CREATING (${creating.signatureId})\n`,
    );
    const missing = await run(['removewallet', '11111111-1111-4111-8111-111111111111', '--yes']);
    expect(missing.code).toBe(3);
  });
});
