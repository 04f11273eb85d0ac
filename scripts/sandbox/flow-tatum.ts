// The sandbox's imitation of Tatum's FLOW endpoints (tatum-js packages/tatum-flow src/blockchain/flow.ts;
// tatum-protocol.md §2.8, §4.15), played by accounts of a local Flow node (the emulator):
//   GET  /v3/flow/proposal/{isPayer} → {address, keyId}: the proposal key (false; held until released) or the payer
//   POST /v3/flow/sign {data, isPayer} → {signature}: r‖s of that key over SHA3-256(data); data must be a
//        Flow transaction message (domain tag "FLOW-V0.0-transaction" right-padded to 32 bytes)
//   POST /v3/flow/broadcast {txData, proposalKey} → releases the proposal key;
//        {txData, signatureId} → completes the pending FLOW transaction with the Flow transaction id, once the
//        access node reports that transaction executed without error.
// The keys are P-256/SHA3-256 test keys of the emulator (its service account in tests), never real ones.
import { p256 } from '@noble/curves/nist.js';
import { sha3_256 } from '@noble/hashes/sha3.js';
import type { Context, Hono } from 'hono';
import { z } from 'zod';

export const FLOW_BROADCAST_PATH = '/v3/flow/broadcast';
const DOMAIN_TAG = Buffer.concat([Buffer.from('FLOW-V0.0-transaction'), Buffer.alloc(11)]).toString('hex');

export interface SandboxFlowKey {
  /** 0x + 16 hex digits. */
  address: string;
  keyId: number;
  /** ECDSA_P256 private scalar (hex), registered with SHA3_256 on the node. */
  privateKey: string;
}

export interface SandboxFlowOptions {
  /** The Flow access node's REST API (the emulator's). */
  accessUrl: string;
  proposer: SandboxFlowKey;
  payer: SandboxFlowKey;
}

/** What the sandbox saw of Tatum's FLOW endpoints (tests assert the protocol on it). */
export interface SandboxFlowLog {
  /** Proposal keys handed out and not yet released. */
  held: number;
  signs: { isPayer: boolean }[];
  releases: { txData: string; proposalKey: number }[];
}

const signBody = z.object({ data: z.string().regex(/^[0-9a-f]+$/i), isPayer: z.boolean() });
const broadcastBody = z.object({
  txData: z.string(),
  signatureId: z.string().optional(),
  proposalKey: z.number().int().nonnegative().optional(),
});

type Refuse = (status: 400 | 403, errorCode: string, message: string) => Response;

/** The access node's verdict on a transaction id: its id when it executed without error. */
export async function flowExecuted(accessUrl: string, txId: string): Promise<string> {
  if (!/^[0-9a-f]{64}$/.test(txId)) throw new Error(`${txId} is not a Flow transaction id`);
  const response = await fetch(`${accessUrl}/v1/transaction_results/${txId}`, {
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`Flow GET /v1/transaction_results/${txId}: HTTP ${response.status} ${text.trim()}`);
  const result = JSON.parse(text) as { status?: string; status_code?: number; error_message?: string };
  if (!['Executed', 'Sealed'].includes(result.status ?? '') || result.status_code !== 0) {
    throw new Error(`Flow transaction ${txId} is ${result.status ?? '?'}: ${result.error_message ?? ''}`);
  }
  return txId;
}

export function mountFlowTatum(
  app: Hono,
  options: SandboxFlowOptions,
  refuse: Refuse,
  complete: (c: Context, id: string, txData: string) => Promise<Response>,
): SandboxFlowLog {
  const log: SandboxFlowLog = { held: 0, signs: [], releases: [] };
  const keyOf = (isPayer: boolean) => (isPayer ? options.payer : options.proposer);

  app.get('/v3/flow/proposal/:isPayer', (c) => {
    const flag = c.req.param('isPayer');
    if (flag !== 'true' && flag !== 'false')
      return refuse(400, 'validation.failed', 'isPayer must be true or false');
    const key = keyOf(flag === 'true');
    if (flag === 'false') log.held += 1;
    return c.json({ address: key.address, keyId: key.keyId });
  });

  app.post('/v3/flow/sign', async (c) => {
    const parsed = signBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success)
      return refuse(400, 'validation.failed', 'body must be {data: hex, isPayer: boolean}');
    const { data, isPayer } = parsed.data;
    if (!data.toLowerCase().startsWith(DOMAIN_TAG)) {
      return refuse(400, 'flow.sign.invalid', 'data is not a Flow transaction message (domain tag)');
    }
    log.signs.push({ isPayer });
    const digest = sha3_256(Buffer.from(data, 'hex'));
    const key = Buffer.from(keyOf(isPayer).privateKey, 'hex');
    return c.json({ signature: Buffer.from(p256.sign(digest, key, { prehash: false })).toString('hex') });
  });

  app.post(FLOW_BROADCAST_PATH, async (c) => {
    const parsed = broadcastBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success)
      return refuse(400, 'validation.failed', 'body must be {txData, signatureId?, proposalKey?}');
    const { txData, signatureId, proposalKey } = parsed.data;
    if (proposalKey !== undefined) {
      log.releases.push({ txData, proposalKey });
      log.held = Math.max(0, log.held - 1);
      return c.json({});
    }
    if (signatureId === undefined)
      return refuse(400, 'validation.failed', 'signatureId or proposalKey is required');
    return complete(c, signatureId, txData);
  });
  return log;
}
