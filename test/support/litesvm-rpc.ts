// A Solana JSON-RPC endpoint served from LiteSVM, the in-process Solana runtime (npm `litesvm`): no
// Solana validator is on npm, PyPI or the Go proxy (building agave's solana-test-validator from crates —
// a multi-hour Rust build — was not tried), so the methods the signing loop and the
// sandbox use are answered by a real SVM: getLatestBlockhash (LiteSVM's current blockhash, which it
// checks on execution), sendTransaction (base64 wire bytes executed by LiteSVM; a failure is a JSON-RPC
// error like a validator's preflight) and getBalance. LiteSVM has no cluster identity: getGenesisHash
// answers the genesis hash the test names (the registry's devnet hash by default).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FailedTransactionMetadata, LiteSVM } from 'litesvm';
import type { Address } from '@solana/kit';
import { getBase58Decoder, getTransactionDecoder } from '@solana/kit';
import { CHAINS } from '../../src/chains/index.js';

export interface LiteSvmRpc {
  url: string;
  svm: LiteSVM;
  /** Every JSON-RPC method called, in order. */
  calls: string[];
  /** Answer every request with HTTP 503 (a node that is down) while true. */
  down: boolean;
  genesisHash: string;
  close(): Promise<void>;
}

type Reply = { result: unknown } | { error: { code: number; message: string } };

export async function startLiteSvmRpc(svm = new LiteSVM()): Promise<LiteSvmRpc> {
  const rpc: LiteSvmRpc = {
    url: '',
    svm,
    calls: [],
    down: false,
    genesisHash: CHAINS.SOL.networks.testnet.genesisHash,
    close: () => Promise.resolve(),
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (rpc.down) {
        res.writeHead(503).end();
        return;
      }
      const request = JSON.parse(body) as { id: unknown; method: string; params?: unknown[] };
      rpc.calls.push(request.method);
      const reply = answer(rpc, request.method, request.params ?? []);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: request.id, ...reply }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  rpc.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  rpc.close = () =>
    new Promise((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  return rpc;
}

function answer(rpc: LiteSvmRpc, method: string, params: unknown[]): Reply {
  const slot = Number(rpc.svm.getClock().slot);
  switch (method) {
    case 'getGenesisHash':
      return { result: rpc.genesisHash };
    case 'getLatestBlockhash':
      return {
        result: {
          context: { slot },
          value: { blockhash: rpc.svm.latestBlockhash(), lastValidBlockHeight: slot + 150 },
        },
      };
    case 'getBalance':
      return { result: { context: { slot }, value: Number(rpc.svm.getBalance(params[0] as Address) ?? 0n) } };
    case 'sendTransaction': {
      const wire = Buffer.from(String(params[0]), 'base64');
      const tx = getTransactionDecoder().decode(wire);
      const result = rpc.svm.sendTransaction(tx);
      if (result instanceof FailedTransactionMetadata) {
        return { error: { code: -32002, message: `Transaction simulation failed: ${String(result.err())}` } };
      }
      return { result: getBase58Decoder().decode(Object.values(tx.signatures)[0] ?? new Uint8Array(64)) };
    }
    default:
      return { error: { code: -32601, message: `Method not found: ${method}` } };
  }
}
