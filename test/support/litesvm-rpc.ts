// A Solana JSON-RPC endpoint served from LiteSVM, the in-process Solana runtime (npm `litesvm`): no
// Solana validator is on npm, PyPI or the Go proxy (building agave's solana-test-validator from crates —
// a multi-hour Rust build — was not tried), so the methods the signing loop and the
// sandbox use are answered by a real SVM: getLatestBlockhash (LiteSVM's current blockhash, which it
// checks on execution), sendTransaction (base64 wire bytes executed by LiteSVM; a failure is a JSON-RPC
// error like a validator's preflight) and getBalance. LiteSVM has no cluster identity: getGenesisHash
// answers the genesis hash the test names (the registry's devnet hash by default).
// Settling (getSignatureStatuses, getBlockHeight): LiteSVM has slots but no blocks or commitment levels,
// so here every slot is a block (block height = slot) and a slot is finalized FINALITY_SLOTS behind the
// clock; getBlockHeight answers the finalized height, getSignatureStatuses looks a signature up in
// LiteSVM's own transaction history (svm.getTransaction), `confirmed` until its slot is finalized.
// `expireBlockhash()` ends the current blockhash the way the cluster does: LiteSVM stops accepting it
// (svm.expireBlockhash) and the clock moves past its lastValidBlockHeight plus the finality lag.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FailedTransactionMetadata, LiteSVM } from 'litesvm';
import type { Address, Signature } from '@solana/kit';
import { getBase58Decoder, getTransactionDecoder } from '@solana/kit';
import { CHAINS } from '../../src/chains/index.js';

export interface LiteSvmRpc {
  url: string;
  svm: LiteSVM;
  /** Every JSON-RPC method called, in order. */
  calls: string[];
  /** Answer every request with HTTP 503 (a node that is down) while true. */
  down: boolean;
  /** While true, sendTransaction answers the signature without executing it (a node that drops it). */
  dropping: boolean;
  genesisHash: string;
  /** Moves the clock so that every signature that landed so far is finalized. */
  finalize(): void;
  /** Makes the current blockhash unusable and the finalized block height pass its lastValidBlockHeight. */
  expireBlockhash(): void;
  close(): Promise<void>;
}

/** How far behind the clock the finalized slot is (Solana's ~32-slot rooting lag). */
export const FINALITY_SLOTS = 32;
/** Blocks a blockhash stays valid for (getLatestBlockhash's lastValidBlockHeight = height + 150). */
const BLOCKHASH_BLOCKS = 150;

type Reply = { result: unknown } | { error: { code: number; message: string } };

export async function startLiteSvmRpc(svm = new LiteSVM()): Promise<LiteSvmRpc> {
  const rpc: LiteSvmRpc = {
    url: '',
    svm,
    calls: [],
    down: false,
    dropping: false,
    genesisHash: CHAINS.SOL.networks.testnet.genesisHash,
    finalize: () => {
      svm.warpToSlot(svm.getClock().slot + BigInt(FINALITY_SLOTS));
    },
    expireBlockhash: () => {
      svm.expireBlockhash();
      svm.warpToSlot(svm.getClock().slot + BigInt(BLOCKHASH_BLOCKS + FINALITY_SLOTS + 1));
    },
    close: () => Promise.resolve(),
  };
  const landedAt = new Map<string, number>();
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
      const reply = answer(rpc, landedAt, request.method, request.params ?? []);
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

function answer(rpc: LiteSvmRpc, landedAt: Map<string, number>, method: string, params: unknown[]): Reply {
  const slot = Number(rpc.svm.getClock().slot);
  const finalized = Math.max(0, slot - FINALITY_SLOTS);
  switch (method) {
    case 'getGenesisHash':
      return { result: rpc.genesisHash };
    case 'getLatestBlockhash':
      return {
        result: {
          context: { slot },
          value: { blockhash: rpc.svm.latestBlockhash(), lastValidBlockHeight: slot + BLOCKHASH_BLOCKS },
        },
      };
    case 'getBalance':
      return { result: { context: { slot }, value: Number(rpc.svm.getBalance(params[0] as Address) ?? 0n) } };
    case 'sendTransaction': {
      const wire = Buffer.from(String(params[0]), 'base64');
      const tx = getTransactionDecoder().decode(wire);
      const signature = getBase58Decoder().decode(Object.values(tx.signatures)[0] ?? new Uint8Array(64));
      if (rpc.dropping) return { result: signature };
      const result = rpc.svm.sendTransaction(tx);
      if (result instanceof FailedTransactionMetadata) {
        return { error: { code: -32002, message: `Transaction simulation failed: ${String(result.err())}` } };
      }
      landedAt.set(signature, slot);
      return { result: signature };
    }
    case 'getBlockHeight':
      return { result: finalized };
    case 'getSignatureStatuses': {
      const signatures = params[0] as Signature[];
      const value = signatures.map((signature) => {
        const landed = rpc.svm.getTransaction(signature);
        if (landed === null) return null;
        const at = landedAt.get(signature) ?? slot;
        const err = landed instanceof FailedTransactionMetadata ? { LiteSVM: String(landed.err()) } : null;
        return {
          slot: at,
          confirmations: at <= finalized ? null : slot - at,
          err,
          status: err === null ? { Ok: null } : { Err: err },
          confirmationStatus: at <= finalized ? 'finalized' : 'confirmed',
        };
      });
      return { result: { context: { slot }, value } };
    }
    default:
      return { error: { code: -32601, message: `Method not found: ${method}` } };
  }
}
