import { describe, expect, it } from 'vitest';
import { cli, type CliRunOptions } from '../../support/cli-harness.js';
import { FakeWalletService, type FakeWalletServiceOptions } from '../../support/fake-wallet-service.js';

function setup(options: FakeWalletServiceOptions = {}) {
  const service = new FakeWalletService(options);
  const deps = {
    createContext: () => Promise.resolve({ walletService: service, close: () => Promise.resolve() }),
    batchPollMs: 2,
  };
  const run = (argv: string[], opts: CliRunOptions = {}) => cli(argv, { deps, ...opts });
  return { service, run };
}

describe('generatemanagedprivatekeybatch', () => {
  it('creates <count> wallets through startBatch and prints the batch (human)', async () => {
    const { service, run } = setup();
    const out = await run(['generatemanagedprivatekeybatch', 'ETH', '6']);
    expect(out.code).toBe(0);
    expect(service.calls[0]).toEqual({
      method: 'startBatch',
      args: [{ userId: 'operator', chain: 'ETH', asset: 'ETH', network: 'mainnet', count: 6 }],
    });
    const batch = [...service.batches.values()][0]!;
    expect(batch).toMatchObject({ status: 'COMPLETED', created: 6 });
    expect(out.stdout).toContain('status   COMPLETED\n');
    expect(out.stdout).toContain('created  6/6\n');
    for (const id of batch.signatureIds) expect(out.stdout).toContain(`  ${id}\n`);
    expect(out.stderr).toContain(
      `kms-signer: batch ${batch.batchId}: 6 ETH mainnet wallets (continue an interrupted run with --resume ${batch.batchId})\n`,
    );
  });

  it('follows a batch that runs in the background, with plain progress lines off a terminal, and --json', async () => {
    const { service, run } = setup({ batchMode: 'background' });
    const out = await run(['generatemanagedprivatekeybatch', 'BTC', '5', '--testnet', '--json']);
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout) as {
      status: string;
      created: number;
      signatureIds: string[];
      network: string;
    };
    expect(json).toMatchObject({ status: 'COMPLETED', created: 5, network: 'testnet' });
    expect(json.signatureIds).toHaveLength(5);
    expect(service.wallets.size).toBe(5);
    const lines = out.stderr.split('\n').filter((l) => / keys created$/.test(l));
    expect(lines[0]).toMatch(/^batch [0-9a-f]{8}: 0\/5 keys created$/);
    expect(lines.at(-1)).toMatch(/: 5\/5 keys created$/);
    expect(service.calls.some((c) => c.method === 'getBatch')).toBe(true);
  });

  it('draws a progress bar on stderr when it is a terminal', async () => {
    const { run } = setup({ batchMode: 'background' });
    const out = await run(['generatemanagedprivatekeybatch', 'TRON', '3'], { tty: true });
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/\[[█░]+\] 3\/3 keys \| 100%/);
    expect(out.stderr).not.toContain('keys created');
  });

  it.each([['0'], ['-1'], ['abc'], ['2.5'], ['10001']])(
    'refuses count %s (exit 2, no batch)',
    async (count) => {
      const { service, run } = setup();
      const out = await run(['generatemanagedprivatekeybatch', 'ETH', count]);
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(/^kms-signer: (count|usage): /);
      expect(service.calls).toEqual([]);
    },
  );

  it('requires <chain> and <count> unless --resume', async () => {
    const { run } = setup();
    expect((await run(['generatemanagedprivatekeybatch'])).stderr).toBe(
      'kms-signer: chain: required (or --resume <batchId>)\n',
    );
    expect((await run(['generatemanagedprivatekeybatch', 'ETH'])).stderr).toBe(
      'kms-signer: count: required (or --resume <batchId>)\n',
    );
  });

  it('a failed batch exits 1 naming --resume; --resume finishes it', async () => {
    const { service, run } = setup({ failBatchAfter: 2 });
    const first = await run(['generatemanagedprivatekeybatch', 'DOGE', '4']);
    const batch = [...service.batches.values()][0]!;
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('status   FAILED\n');
    expect(first.stderr).toContain(
      `kms-signer: batch: ${batch.batchId} is FAILED after 2/4 wallets (KMS unavailable (injected)); continue with --resume ${batch.batchId}\n`,
    );
    service.calls.length = 0;
    const resumed = await run(['generatemanagedprivatekeybatch', '--resume', batch.batchId, '--json']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      batchId: batch.batchId,
      status: 'COMPLETED',
      created: 4,
    });
    expect(service.calls.map((c) => c.method).slice(0, 2)).toEqual(['getBatch', 'runBatch']);
    expect(service.wallets.size).toBe(4);
  });

  it('without runBatch (contract only): a background batch is polled and --resume calls resumeBatch', async () => {
    const { service, run } = setup({ runBatch: false, batchMode: 'background', failBatchAfter: 1 });
    const first = await run(['generatemanagedprivatekeybatch', 'BSC', '3', '--json']);
    expect(first.code).toBe(1);
    const batch = JSON.parse(first.stdout) as { batchId: string; status: string; created: number };
    expect(batch).toMatchObject({ status: 'FAILED', created: 1 });
    service.calls.length = 0;
    const resumed = await run([
      'generatemanagedprivatekeybatch',
      'BSC',
      '3',
      '--resume',
      batch.batchId,
      '--json',
    ]);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'COMPLETED', created: 3 });
    expect(service.calls.map((c) => c.method).slice(0, 2)).toEqual(['getBatch', 'resumeBatch']);
    expect(service.calls.at(-1)!.method).toBe('getBatch');
  });

  it('--resume with a different chain or count is refused; an unknown batch is not found (exit 3)', async () => {
    const { service, run } = setup();
    await run(['generatemanagedprivatekeybatch', 'ETH', '2']);
    const batch = [...service.batches.values()][0]!;
    const other = await run(['generatemanagedprivatekeybatch', 'ETH', '3', '--resume', batch.batchId]);
    expect(other.code).toBe(2);
    expect(other.stderr).toBe(
      `kms-signer: --resume: batch ${batch.batchId} is 2 ETH wallets; leave out <chain> <count> or give the same\n`,
    );
    const same = await run(['generatemanagedprivatekeybatch', 'ETH', '2', '--resume', batch.batchId]);
    expect(same.code).toBe(0); // already COMPLETED: shown, not resumed
    const missing = await run(['generatemanagedprivatekeybatch', '--resume', 'nope']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe('kms-signer: batchId: no such batch (nope)\n');
  });

  it('Ctrl-C stops following: exit 1 naming --resume; the service is closed (which pauses the batch)', async () => {
    const { service, run } = setup({ batchMode: 'background', runBatch: false });
    const interrupt = new AbortController();
    const original = service.getBatch.bind(service);
    service.getBatch = async (id) => {
      const batch = await original(id);
      if (batch.created >= 2) interrupt.abort();
      return batch;
    };
    const out = await run(['generatemanagedprivatekeybatch', 'ETH', '500'], { signal: interrupt.signal });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      'kms-signer: interrupted; finishing the operation in flight (Ctrl-C again to quit now)\n',
    );
    expect(out.stderr).toMatch(
      /kms-signer: batch: interrupted at \d+\/500; the batch pauses after its current wallet; continue with --resume [0-9a-f-]{36}\n$/,
    );
  });
});
