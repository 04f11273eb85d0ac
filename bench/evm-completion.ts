// Issue 12: what completing Tatum-shaped EVM payloads costs. The loop signs N pending transfers of one
// wallet whose payloads carry no gas, no nonce and gasPrice "0" (Tatum's web3 shape), against anvil,
// LocalStack KMS, FerretDB and the Tatum sandbox; every JSON-RPC call of the chain view is counted by
// method. Run with the gas-price answer shared for a pass (the default) and asked per transaction, and
// once with complete payloads (no completion) for the throughput it costs.
import { z } from 'zod';
import { startTatumSandbox } from '../scripts/sandbox/tatum-sandbox.js';
import { evmPending } from '../scripts/sandbox/pending-payloads.js';
import { ChainViews } from '../src/chain-view/index.js';
import { createTatumClient } from '../src/tatum/client.js';
import { SigningLoop } from '../src/tatum/loop.js';
import { withBenchStack } from './bench-stack.js';
import { envInt } from './env.js';
import { table } from './report.js';
import type { BenchSection } from './section.js';

const DEST = '0x8ba1f109551bd432803012645ac136ddd64dba72';

interface Variant {
  label: string;
  gasPriceTtlMs: number;
  complete: boolean;
}

const VARIANTS: readonly Variant[] = [
  { label: 'Tatum shape, gas price shared per pass (default)', gasPriceTtlMs: 3_000, complete: false },
  { label: 'Tatum shape, gas price asked per transaction', gasPriceTtlMs: 0, complete: false },
  { label: 'complete payloads (nothing to complete)', gasPriceTtlMs: 3_000, complete: true },
];

export interface CompletionRow {
  variant: string;
  transactions: number;
  rpcCallsPerTx: number;
  byMethod: Record<string, number>;
  txPerSecond: number;
}

const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** A fetch that counts JSON-RPC methods (batch requests counted per call). */
function countingFetch(counts: Map<string, number>): typeof fetch {
  return (input, init) => {
    const body: unknown = JSON.parse(typeof init?.body === 'string' ? init.body : '{}');
    for (const call of Array.isArray(body) ? body : [body]) {
      const method = z.object({ method: z.string() }).safeParse(call);
      if (method.success) counts.set(method.data.method, (counts.get(method.data.method) ?? 0) + 1);
    }
    return fetch(input, init);
  };
}

export const evmCompletionSection: BenchSection = {
  name: 'evm-completion',
  description: 'JSON-RPC calls per EVM transaction when the loop completes Tatum-shaped payloads',
  async run() {
    const count = envInt('BENCH_EVM_COMPLETION_TXS', 40);
    const rows = await withBenchStack(['aws', 'mongo', 'evm'], async ({ stack, context }) => {
      const anvil = stack.endpoints.evmRpcUrl;
      const sandbox = await startTatumSandbox({ evmRpcUrl: anvil });
      const results: CompletionRow[] = [];
      try {
        for (const variant of VARIANTS) {
          const { wallet } = await context.walletService.createWallet({
            userId: 'bench-completion',
            chain: 'EVM_DEV',
            asset: 'ETH',
            network: 'testnet',
          });
          await fetch(anvil, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              jsonrpc: '2.0',
              id: 1,
              method: 'anvil_setBalance',
              params: [wallet.address, '0xde0b6b3a7640000'],
            }),
          });
          for (let i = 0; i < count; i++) {
            const fields = variant.complete
              ? { gas: '21000', gasPrice: '2000000000', nonce: i, value: '1000' }
              : { gasPrice: '0', value: '1000' };
            sandbox.enqueue(
              evmPending('EVM_DEV', wallet.signatureId, JSON.stringify({ from: 0, to: DEST, ...fields })),
            );
          }
          const counts = new Map<string, number>();
          const loop = new SigningLoop({
            db: context.db,
            api: createTatumClient({
              baseUrl: sandbox.url,
              apiKey: sandbox.apiKey,
              clientVersion: 'bench',
              broadcastPaths: sandbox.broadcastPaths,
            }),
            wallets: context.walletService,
            signer: context.vault,
            chains: ['EVM_DEV'],
            network: 'testnet',
            walletIds: [wallet.signatureId],
            concurrency: 8,
            chainViews: new ChainViews({
              network: 'testnet',
              env: { KMS_SIGNER_RPC_EVM_DEV: anvil },
              gasPriceTtlMs: variant.gasPriceTtlMs,
              fetch: countingFetch(counts),
            }),
          });
          const started = performance.now();
          let broadcast = 0;
          for (let pass = 0; pass < 10 && broadcast < count; pass++) {
            const result = await loop.runPass();
            broadcast += result.results.filter((r) => r.outcome === 'BROADCAST').length;
          }
          const seconds = (performance.now() - started) / 1000;
          if (broadcast !== count) throw new Error(`${variant.label}: ${broadcast} of ${count} broadcast`);
          const calls = [...counts.values()].reduce((a, b) => a + b, 0);
          results.push({
            variant: variant.label,
            transactions: count,
            rpcCallsPerTx: round(calls / count),
            byMethod: Object.fromEntries(counts),
            txPerSecond: round(count / seconds, 1),
          });
        }
      } finally {
        await sandbox.close();
      }
      return results;
    });
    const markdown = [
      '## EVM completion: JSON-RPC calls per transaction (issue 12)',
      '',
      `${rows[0]?.transactions ?? 0} pending transfers of one wallet per variant, loop concurrency 8, anvil +`,
      'LocalStack KMS + FerretDB + the Tatum sandbox on this machine. The chain id is asked once per process.',
      '',
      table(
        ['variant', 'RPC calls / tx', 'by method', 'tx/s'],
        rows.map((r) => [
          r.variant,
          r.rpcCallsPerTx,
          Object.entries(r.byMethod)
            .map(([method, n]) => `${method} ${n}`)
            .join(', '),
          r.txPerSecond,
        ]),
      ),
    ].join('\n');
    return { json: rows, markdown };
  },
};
