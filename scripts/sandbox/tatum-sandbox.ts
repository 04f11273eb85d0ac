// A local stand-in for Tatum's KMS API (../shared/reference/tatum-protocol.md §2), for tests and the
// demo. It keeps a queue of PendingTransactions, serves the pending fetch (≤ 500 ids per call, 400
// otherwise), forwards broadcasts to the local nodes (anvil eth_sendRawTransaction, one anvil per chain id
// for the other EVM chains, btcd sendrawtransaction, the XRP Ledger libraries for XRP, the chain SDKs
// for ADA/EGLD, a VeChainThor node's REST API for VET; the caller mines BTC blocks), completes the pending transaction with the txId,
// records error reports and checks x-api-key. A second broadcast of a completed transaction with the
// same bytes returns the same txId; with different bytes it is answered 409 and recorded in
// `violations` (a double sign). Test controls: failNext (5xx / timeouts), refuseReports, calls, reportedErrors. Tatum's
// node-gateway paths forward JSON-RPC to the same nodes (node-gateway.ts).
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { SANDBOX_BROADCAST_PATHS, TATUM_BROADCAST_PATHS } from '../../src/tatum/client.js';
import type { PendingTransaction } from '../../src/tatum/types.js';
import { btcRpc, type BtcRpcEndpoint } from '../stack/btc-rpc.js';
import { mountNodeGateway } from './node-gateway.js';
import { acceptXrpBlob } from './xrp-ledger.js';
import {
  FLOW_BROADCAST_PATH,
  flowExecuted,
  mountFlowTatum,
  type SandboxFlowLog,
  type SandboxFlowOptions,
} from './flow-tatum.js';
import {
  acceptAlgorandTransaction,
  acceptCardanoTransaction,
  acceptMultiversXTransaction,
  acceptStellarEnvelope,
} from './ed25519-ledgers.js';

export const SANDBOX_API_KEY = 'sandbox-api-key';

/** Broadcast path → the SDK check that stands in for the chain's node (see ed25519-ledgers.ts). */
const ED25519_LEDGERS: Readonly<Record<string, (txData: string) => string | Promise<string>>> = {
  [TATUM_BROADCAST_PATHS.ADA ?? '/v3/ada/broadcast']: acceptCardanoTransaction,
  [TATUM_BROADCAST_PATHS.EGLD ?? '/v3/egld/broadcast']: acceptMultiversXTransaction,
};

export interface TatumSandboxOptions {
  /** anvil JSON-RPC; EVM broadcasts (ethereum, bsc, polygon, evm-dev paths) go here. */
  evmRpcUrl?: string;
  /**
   * Further EVM nodes by broadcast path, e.g. {'/v3/celo/broadcast': <anvil started with chain id 42220>};
   * a path listed here goes to its own node instead of evmRpcUrl.
   */
  evmNodes?: Readonly<Record<string, string>>;
  /** Accept /v3/xrp/broadcast blobs that the XRP Ledger libraries verify (see xrp-ledger.ts). Default false. */
  verifyXrp?: boolean;
  /** Accept /v3/ada/broadcast and /v3/egld/broadcast transactions their chains' SDKs verify (ed25519-ledgers.ts). */
  verifyEd25519Chains?: boolean;
  /** Accept /v3/xlm/broadcast envelopes that stellar-base verifies for this passphrase (ed25519-ledgers.ts). */
  verifyXlm?: string;
  /** Accept /v3/algorand/broadcast transactions of this genesis id that algosdk verifies (ed25519-ledgers.ts). */
  verifyAlgo?: string;
  /** A Solana JSON-RPC node: /v3/solana/broadcast txData (hex wire bytes) goes to its sendTransaction. */
  solanaRpcUrl?: string;
  /**
   * A VeChainThor node's REST API (thor solo in tests): /v3/vet/broadcast `{txData, signatureId}` (tatum-js v1
   * `vetBroadcast`; tatum-php docs/Api/VeChainApi.md "POST /v3/vet/broadcast") is sent on as thor's
   * `POST /transactions {raw: txData}`, whose `{id}` becomes the txId (vechain/thor v2.4.0
   * api/transactions/transactions.go handleSendTransaction).
   */
  thorUrl?: string;
  /**
   * Tatum's FLOW proposer/payer service played by keys of a Flow node (flow-tatum.ts); /v3/flow/broadcast
   * {txData: txId, signatureId} completes once that node reports the transaction executed.
   */
  flow?: SandboxFlowOptions;
  /** btcd; bitcoin/litecoin/dogecoin/bcash broadcasts go here (regtest only really works for BTC). */
  btcRpc?: BtcRpcEndpoint;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Expected x-api-key (default SANDBOX_API_KEY). */
  apiKey?: string;
  /** Accept broadcasts of a family that has no node configured; txId = sha256(txData). Default false. */
  offlineBroadcast?: boolean;
  /** How long a request injected as 'timeout' hangs before answering 504 (default 30 s). */
  hangMs?: number;
}

export interface SandboxCall {
  method: string;
  path: string;
  /** Request body in bytes. */
  bodySize: number;
  /** Number of signatureIds for pending fetches. */
  signatureIds?: number;
  status: number;
  startedAt: number;
  endedAt: number;
}

export interface CompletedTransaction {
  id: string;
  txId: string;
  txData: string;
  path: string;
  at: number;
}

export interface DoubleSignViolation {
  id: string;
  /** Bytes of the completed broadcast. */
  firstTxData: string;
  /** The different bytes broadcast later. */
  secondTxData: string;
  path: string;
  at: number;
}

/** An HTTP status, a hang ('timeout'), or 'lost': the request is served, then answered 504 (a lost answer). */
export type SandboxFailure = number | 'timeout' | 'lost';

export interface TatumSandbox {
  /** e.g. http://127.0.0.1:PORT; pass as the client's baseUrl. */
  url: string;
  apiKey: string;
  /** Chain → path mapping the client needs on top of Tatum's own (EVM_DEV). */
  broadcastPaths: Readonly<Record<string, string>>;
  /** Queues a pending transaction; returns its id (24-hex, generated unless given). */
  enqueue(pending: Omit<PendingTransaction, 'id' | 'txId'> & { id?: string }): string;
  /** Changes a queued transaction in place (Tatum re-issuing the same id with another payload). */
  replace(id: string, change: Partial<Omit<PendingTransaction, 'id'>>): void;
  /** The next `times` (default 1) requests to `path` (e.g. '/v3/kms/pending/BTC') answer `status`
   *  or hang ('timeout'). */
  failNext(path: string, failure: SandboxFailure, times?: number): void;
  /**
   * From now on an error batch (POST /v3/tatum/kms/batch) naming one of `ids` is refused as a whole with
   * 403 kms.missing, as Tatum answers for an id it does not know (tatum-protocol.md §2.3); nothing of it
   * is recorded.
   */
  refuseReports(ids: readonly string[]): void;
  /** Every request, in arrival order. */
  readonly calls: readonly SandboxCall[];
  readonly reportedErrors: readonly { signatureId: string; error: string }[];
  /** Completed pending transactions by id. */
  readonly completed: ReadonlyMap<string, CompletedTransaction>;
  readonly violations: readonly DoubleSignViolation[];
  /** Tatum's FLOW endpoints as the loop used them (present when `flow` is configured). */
  readonly flow: SandboxFlowLog | undefined;
  /** Queued transactions (completed ones carry txId). */
  pending(): PendingTransaction[];
  close(): Promise<void>;
}

const EVM_PATHS = new Set(['/v3/ethereum/broadcast', '/v3/bsc/broadcast', '/v3/polygon/broadcast']);
const UTXO_PATHS = new Set([
  '/v3/bitcoin/broadcast',
  '/v3/litecoin/broadcast',
  '/v3/dogecoin/broadcast',
  '/v3/bcash/broadcast',
]);
for (const path of Object.values(SANDBOX_BROADCAST_PATHS)) EVM_PATHS.add(path);
const ALL_PATHS: Readonly<Record<string, string>> = { ...TATUM_BROADCAST_PATHS, ...SANDBOX_BROADCAST_PATHS };
const OFFCHAIN_CHAINS: Readonly<Record<string, string>> = {
  BTC: '/v3/bitcoin/broadcast',
  LTC: '/v3/litecoin/broadcast',
  DOGE: '/v3/dogecoin/broadcast',
  BCH: '/v3/bcash/broadcast',
  ETH: '/v3/ethereum/broadcast',
  EVM_DEV: '/v3/evm-dev/broadcast',
};

const pendingBody = z.object({ signatureIds: z.array(z.string()) });
const broadcastBody = z.object({ txData: z.string().min(1), signatureId: z.string() });
const offchainBody = z.object({
  currency: z.string(),
  signatureId: z.string(),
  withdrawalId: z.string(),
  txData: z.string().min(1),
});
const errorBatchBody = z.object({
  errors: z.array(z.object({ signatureId: z.string(), error: z.string() })),
});

class NodeRefused extends Error {}

/** thor's POST /transactions; a refusal (HTTP 400 bad tx, 403 rejected by the pool) becomes NodeRefused. */
async function sendToThor(thorUrl: string, raw: string): Promise<string> {
  const response = await fetch(`${thorUrl.replace(/\/+$/, '')}/transactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ raw }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) throw new NodeRefused(`thor POST /transactions: HTTP ${response.status} ${text.trim()}`);
  const id = (JSON.parse(text) as { id?: unknown }).id;
  if (typeof id !== 'string') throw new NodeRefused(`thor POST /transactions: no id in ${text.trim()}`);
  return id;
}

function tatumError(status: 400 | 401 | 403 | 409 | 500, errorCode: string, message: string): Response {
  return Response.json({ statusCode: status, errorCode, message }, { status });
}

/** Solana RPC sendTransaction with base64 wire bytes (Solana RPC docs: encoding "base64"). */
async function solanaSend(url: string, txData: string, id: number): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'sendTransaction',
      params: [Buffer.from(txData, 'hex').toString('base64'), { encoding: 'base64' }],
    }),
    signal: AbortSignal.timeout(10_000),
  });
  const reply = (await response.json()) as { result?: unknown; error?: { message?: string } };
  if (typeof reply.result === 'string') return reply.result;
  throw new NodeRefused(`sendTransaction: ${reply.error?.message ?? 'no result'}`);
}

export async function startTatumSandbox(options: TatumSandboxOptions = {}): Promise<TatumSandbox> {
  const expectedKey = options.apiKey ?? SANDBOX_API_KEY;
  const hangMs = options.hangMs ?? 30_000;
  const queue = new Map<string, PendingTransaction>();
  const calls: SandboxCall[] = [];
  const reportedErrors: { signatureId: string; error: string }[] = [];
  const completed = new Map<string, CompletedTransaction>();
  const violations: DoubleSignViolation[] = [];
  const failures = new Map<string, SandboxFailure[]>();
  const refusedReports = new Set<string>();
  /** Broadcasts in flight per pending id, so concurrent duplicates are judged one after another. */
  const inFlight = new Map<string, Promise<unknown>>();
  const hanging = new Set<() => void>();
  let rpcId = 0;

  async function sendToNode(path: string, txData: string): Promise<string> {
    const evmUrl = options.evmNodes?.[path] ?? (EVM_PATHS.has(path) ? options.evmRpcUrl : undefined);
    if (evmUrl !== undefined) {
      const response = await fetch(evmUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: ++rpcId,
          method: 'eth_sendRawTransaction',
          params: [txData],
        }),
        signal: AbortSignal.timeout(10_000),
      });
      const reply = (await response.json()) as { result?: unknown; error?: { message?: string } };
      if (typeof reply.result === 'string') return reply.result;
      throw new NodeRefused(`eth_sendRawTransaction: ${reply.error?.message ?? 'no result'}`);
    }
    if (UTXO_PATHS.has(path) && options.btcRpc !== undefined) {
      try {
        return await btcRpc(options.btcRpc, 'sendrawtransaction', [txData], z.string());
      } catch (error) {
        throw new NodeRefused(error instanceof Error ? error.message : String(error));
      }
    }
    if (path === TATUM_BROADCAST_PATHS.SOL && options.solanaRpcUrl !== undefined) {
      return solanaSend(options.solanaRpcUrl, txData, ++rpcId);
    }
    if (path === FLOW_BROADCAST_PATH && options.flow !== undefined) {
      try {
        return await flowExecuted(options.flow.accessUrl, txData);
      } catch (error) {
        throw new NodeRefused(error instanceof Error ? error.message : String(error));
      }
    }
    if (path === TATUM_BROADCAST_PATHS.VET && options.thorUrl !== undefined) {
      return sendToThor(options.thorUrl, txData);
    }
    if (path === TATUM_BROADCAST_PATHS.XRP && options.verifyXrp === true) {
      try {
        return acceptXrpBlob(txData);
      } catch (error) {
        throw new NodeRefused(error instanceof Error ? error.message : String(error));
      }
    }
    const ed25519Ledger = ED25519_LEDGERS[path];
    const ed25519Verifier =
      ed25519Ledger !== undefined && options.verifyEd25519Chains === true
        ? () => ed25519Ledger(txData)
        : path === TATUM_BROADCAST_PATHS.XLM && options.verifyXlm !== undefined
          ? () => acceptStellarEnvelope(txData, options.verifyXlm ?? '')
          : path === TATUM_BROADCAST_PATHS.ALGO && options.verifyAlgo !== undefined
            ? () => acceptAlgorandTransaction(txData, options.verifyAlgo ?? '')
            : undefined;
    if (ed25519Verifier) {
      try {
        return await ed25519Verifier();
      } catch (error) {
        throw new NodeRefused(error instanceof Error ? error.message : String(error));
      }
    }
    if (options.offlineBroadcast) return createHash('sha256').update(txData).digest('hex');
    throw new NodeRefused(`the sandbox has no node for ${path}`);
  }

  /** Broadcast + completion shared by the chain and off-chain endpoints. */
  async function broadcast(c: Context, path: string, id: string, txData: string, withdrawalId?: string) {
    const previous = inFlight.get(id);
    const run = (previous ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        const tx = queue.get(id);
        if (!tx) return tatumError(403, 'kms.missing', `No such KMS signature with id '${id}'.`);
        if (withdrawalId !== undefined && tx.withdrawalId !== withdrawalId) {
          return tatumError(
            400,
            'withdrawal.mismatch',
            `withdrawal ${withdrawalId} does not belong to ${id}`,
          );
        }
        const done = completed.get(id);
        if (done) {
          if (done.txData === txData)
            return c.json({ txId: done.txId, ...(withdrawalId ? { completed: true } : {}) });
          violations.push({ id, firstTxData: done.txData, secondTxData: txData, path, at: Date.now() });
          return tatumError(
            409,
            'kms.double.sign',
            `pending transaction ${id} was already broadcast as ${done.txId}`,
          );
        }
        let txId: string;
        try {
          txId = await sendToNode(path, txData);
        } catch (error) {
          if (!(error instanceof NodeRefused)) throw error;
          return tatumError(400, 'broadcast.failed', error.message);
        }
        completed.set(id, { id, txId, txData, path, at: Date.now() });
        tx.txId = txId;
        return c.json({ txId, ...(withdrawalId ? { completed: true } : {}) });
      });
    inFlight.set(id, run);
    try {
      return await run;
    } finally {
      if (inFlight.get(id) === run) inFlight.delete(id);
    }
  }

  const app = new Hono();

  app.use('*', async (c, next) => {
    const startedAt = Date.now();
    const text = await c.req.raw.clone().text();
    const call: SandboxCall = {
      method: c.req.method,
      path: c.req.path,
      bodySize: Buffer.byteLength(text),
      status: 0,
      startedAt,
      endedAt: 0,
    };
    calls.push(call);
    const injected = failures.get(c.req.path)?.shift();
    if (injected === 'lost') {
      await next();
      c.res = Response.json({ statusCode: 504, message: 'sandbox: answer lost' }, { status: 504 });
    } else if (injected === 'timeout') {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          hanging.delete(done);
          resolve();
        };
        const timer = setTimeout(done, hangMs);
        hanging.add(done);
      });
      c.res = Response.json({ statusCode: 504, message: 'sandbox: injected timeout' }, { status: 504 });
    } else if (injected !== undefined) {
      c.res = Response.json(
        { statusCode: injected, message: `sandbox: injected ${injected}` },
        { status: injected },
      );
    } else if (c.req.header('x-api-key') !== expectedKey) {
      c.res = tatumError(401, 'apikey.invalid', 'Invalid or missing x-api-key.');
    } else {
      await next();
    }
    call.status = c.res.status;
    call.endedAt = Date.now();
  });

  app.post('/v3/kms/pending/:chain', async (c) => {
    const parsed = pendingBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return tatumError(400, 'validation.failed', 'body must be {signatureIds: string[]}');
    const ids = parsed.data.signatureIds;
    const call = calls.at(-1);
    if (call) call.signatureIds = ids.length;
    if (ids.length > 500) {
      return tatumError(400, 'validation.failed', 'signatureIds must contain no more than 500 elements');
    }
    const wanted = new Set(ids);
    const chain = c.req.param('chain');
    const result = [...queue.values()].filter(
      (tx) =>
        tx.chain === chain &&
        !completed.has(tx.id) &&
        [...tx.hashes, ...(tx.signatures ?? []).map((s) => s.id)].some((h) => wanted.has(h)),
    );
    return c.json(result);
  });

  for (const path of new Set(Object.values(ALL_PATHS))) {
    app.post(path, async (c) => {
      const parsed = broadcastBody.safeParse(await c.req.json().catch(() => undefined));
      if (!parsed.success) return tatumError(400, 'validation.failed', 'body must be {txData, signatureId}');
      const tx = queue.get(parsed.data.signatureId);
      if (tx && ALL_PATHS[tx.chain] !== path) {
        return tatumError(
          400,
          'chain.mismatch',
          `pending transaction ${tx.id} is ${tx.chain}, not for ${path}`,
        );
      }
      return broadcast(c, path, parsed.data.signatureId, parsed.data.txData);
    });
  }

  app.post('/v3/offchain/withdrawal/broadcast', async (c) => {
    const parsed = offchainBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) {
      return tatumError(
        400,
        'validation.failed',
        'body must be {currency, signatureId, withdrawalId, txData}',
      );
    }
    const { currency, signatureId, withdrawalId, txData } = parsed.data;
    const path = OFFCHAIN_CHAINS[currency];
    if (path === undefined)
      return tatumError(400, 'currency.unsupported', `no off-chain withdrawals for ${currency}`);
    const tx = queue.get(signatureId);
    if (tx && tx.chain !== currency) {
      return tatumError(
        400,
        'chain.mismatch',
        `pending transaction ${tx.id} is ${tx.chain}, not ${currency}`,
      );
    }
    return broadcast(c, path, signatureId, txData, withdrawalId);
  });

  app.post('/v3/tatum/kms/batch', async (c) => {
    const parsed = errorBatchBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success)
      return tatumError(400, 'validation.failed', 'body must be {errors: [{signatureId, error}]}');
    const refused = parsed.data.errors.find((e) => refusedReports.has(e.signatureId));
    if (refused) {
      return tatumError(403, 'kms.missing', `No such KMS signature with id '${refused.signatureId}'.`);
    }
    reportedErrors.push(...parsed.data.errors);
    return c.json({});
  });

  app.get('/v3/kms/:id', (c) => {
    const tx = queue.get(c.req.param('id'));
    return tx
      ? c.json(tx)
      : tatumError(403, 'kms.missing', `No such KMS signature with id '${c.req.param('id')}'.`);
  });

  const flowLog =
    options.flow &&
    mountFlowTatum(app, options.flow, tatumError, (c, id, txData) => {
      const tx = queue.get(id);
      if (tx && tx.chain !== 'FLOW') {
        return Promise.resolve(tatumError(400, 'chain.mismatch', `pending transaction ${id} is ${tx.chain}`));
      }
      return broadcast(c, FLOW_BROADCAST_PATH, id, txData);
    });

  // Tatum's JSON-RPC gateway paths (the chain view's default endpoint), forwarded to anvil/btcd.
  mountNodeGateway(app, { apiKey: expectedKey, evmRpcUrl: options.evmRpcUrl, btcRpc: options.btcRpc });

  app.notFound((c) =>
    c.json({ statusCode: 404, message: `sandbox: no route ${c.req.method} ${c.req.path}` }, 404),
  );
  app.onError((error) => tatumError(500, 'sandbox.error', error.message));

  const server = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey: expectedKey,
    broadcastPaths: SANDBOX_BROADCAST_PATHS,
    enqueue(pending) {
      const id = pending.id ?? randomBytes(12).toString('hex');
      if (!/^[0-9a-f]{24}$/.test(id)) throw new Error(`pending id ${id} is not 24 lower-case hex characters`);
      if (queue.has(id)) throw new Error(`pending id ${id} is already queued`);
      queue.set(id, { ...structuredClone(pending), id });
      return id;
    },
    replace(id, change) {
      const tx = queue.get(id);
      if (!tx) throw new Error(`pending id ${id} is not queued`);
      queue.set(id, { ...tx, ...structuredClone(change), id });
    },
    failNext(path, failure, times = 1) {
      const list = failures.get(path) ?? [];
      for (let i = 0; i < times; i++) list.push(failure);
      failures.set(path, list);
    },
    refuseReports(ids) {
      for (const id of ids) refusedReports.add(id);
    },
    calls,
    reportedErrors,
    completed,
    violations,
    flow: flowLog,
    pending: () => [...queue.values()].map((tx) => structuredClone(tx)),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const release of [...hanging]) release();
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
