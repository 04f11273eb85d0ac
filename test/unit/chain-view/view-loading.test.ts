// Each chain family's view loads on its first call (src/chain-view/on-first-call.ts): ChainViews hands out
// stand-ins synchronously, and a runner's init (the signer Lambda's) parses no view it does not use. Each
// test imports a fresh module graph (vi.resetModules) with pass-through mocks that record which view
// modules got evaluated: none when views are created, only the family asked.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { onFirstCall } from '../../../src/chain-view/on-first-call.js';

const VIEW_MODULES = ['evm', 'bitcoin', 'solana', 'vet', 'flow', 'multiversx', 'json-rpc'] as const;
const loaded = new Set<string>();

let server: Server;
let url: string;
beforeAll(async () => {
  // An EVM node on chain 11155111 (Sepolia, the registry's ETH testnet).
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const { id } = JSON.parse(body) as { id: number };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ jsonrpc: '2.0', id, result: '0xaa36a7' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
});

type ChainViewModule = typeof import('../../../src/chain-view/index.js');

describe('chain views load per family on first call', () => {
  let chainView: ChainViewModule;
  beforeEach(async () => {
    vi.resetModules();
    loaded.clear();
    for (const name of VIEW_MODULES) {
      vi.doMock(`../../../src/chain-view/${name}.js`, async (importOriginal) => {
        loaded.add(name);
        return importOriginal();
      });
    }
    chainView = await import('../../../src/chain-view/index.js');
  });

  it('loads no view when views are created and handed out', () => {
    const views = new chainView.ChainViews({
      network: 'testnet',
      env: {
        KMS_SIGNER_RPC_ETH: url,
        KMS_SIGNER_RPC_BTC: url,
        KMS_SIGNER_RPC_SOL: url,
        KMS_SIGNER_RPC_VET: url,
        KMS_SIGNER_RPC_FLOW: url,
        KMS_SIGNER_RPC_EGLD: url,
      },
    });
    for (const view of [
      views.evm('ETH'),
      views.bitcoin('BTC'),
      views.solana(),
      views.vet(),
      views.flow(),
      views.multiversx(),
      views.transactions('ETH'),
    ]) {
      expect(view).toBeDefined();
    }
    expect(views.evm('ETH')).toBe(views.evm('ETH')); // one view (and its caches) per chain
    expect([...loaded]).toEqual([]);
  });

  it("loads the EVM view and its JSON-RPC client on the EVM view's first call, and nothing else", async () => {
    const views = new chainView.ChainViews({ network: 'testnet', env: { KMS_SIGNER_RPC_ETH: url } });
    await expect(views.evm('ETH')?.checkChainId()).resolves.toBeUndefined();
    expect([...loaded].sort()).toEqual(['evm', 'json-rpc']);
  });

  it('still answers undefined where no node is configured', () => {
    const views = new chainView.ChainViews({ network: 'testnet', env: {} });
    expect(views.evm('ETH')).toBeUndefined();
    expect(views.solana()).toBeUndefined();
    expect(views.multiversx()).toBeUndefined();
    expect([...loaded]).toEqual([]);
  });
});

describe('onFirstCall', () => {
  class Counter {
    count = 0;
    add(n: number): Promise<number> {
      this.count += n;
      return Promise.resolve(this.count);
    }
    fail(): Promise<never> {
      return Promise.reject(new Error('no'));
    }
  }

  it('builds the view once, on the first call, and passes every call on with its arguments', async () => {
    let builds = 0;
    const load = () => {
      builds += 1;
      return Promise.resolve(new Counter() as Pick<Counter, 'add' | 'fail'>);
    };
    const view = onFirstCall(load, { add: true, fail: true });
    expect(builds).toBe(0);
    expect(await Promise.all([view.add(2), view.add(3)])).toEqual([2, 5]);
    await expect(view.fail()).rejects.toThrow('no');
    expect(builds).toBe(1);
  });

  it('tries a failed load again on the next call', async () => {
    let attempts = 0;
    const view = onFirstCall(
      () => {
        attempts += 1;
        return attempts === 1
          ? Promise.reject(new Error('chunk missing'))
          : Promise.resolve(new Counter() as Pick<Counter, 'add'>);
      },
      { add: true },
    );
    await expect(view.add(1)).rejects.toThrow('chunk missing');
    await expect(view.add(1)).resolves.toBe(1);
    expect(attempts).toBe(2);
  });
});
