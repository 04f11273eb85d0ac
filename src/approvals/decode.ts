// The one place the approvals service decodes a pending transaction for the operators: what it moves
// (from the signer's decode, never Tatum's description), the wallets it spends from, fee, nonce, and the
// signing policy's verdict: the loop's `decoded` when its signed POST body carries one (the completed
// transaction it will sign), else the signer's own prepareTransaction over the pending payload.
import { address as btcAddress } from 'bitcoinjs-lib';
import type { Db } from 'mongodb';
import { bitcoinjsNetwork, getChain, isChainId, type ChainId, type NetworkName } from '../chains/index.js';
import * as z from 'zod';
import { errorMessage } from '../util/error-message.js';
import { prepareTransaction, type PreparedTransaction } from '../signer/index.js';
import type { SigningPolicy } from '../tatum/config.js';
import { JobStore } from '../tatum/jobs.js';
import { evaluatePolicy } from '../tatum/policy.js';
import { resolveWallets } from '../tatum/resolve-wallets.js';
import type { PendingTransaction } from '../tatum/types.js';
import type { WalletService } from '../wallets/contract.js';

export interface DecodedTransfer {
  /** "native" or the token contract. */
  asset: string;
  /** Destination address (Bitcoin family: the address of the output script, else `script:<hex>`). */
  to: string;
  /** In the chain's base unit (wei, satoshi, sun), as a decimal string. */
  amount: string;
}

export interface DecodedPending {
  chain: string;
  /** The network of the wallets it spends from; null when they are unknown. */
  network: NetworkName | null;
  /** Wallet signature ids the transaction spends from, and their addresses. */
  wallets: string[];
  sourceAddresses: string[];
  transfers: DecodedTransfer[];
  fee: string | null;
  nonce: string | null;
  /** Why the transaction (or its wallets) could not be decoded; the loop would refuse it too. */
  problem: string | null;
  policy: { configured: boolean; allowed: boolean; reasons: string[] };
}

export interface DecodeDeps {
  db: Db;
  wallets: Pick<WalletService, 'getWallet' | 'existingAddress'>;
  policy?: SigningPolicy;
  clock: () => Date;
}

export async function decodePending(pending: PendingTransaction, deps: DecodeDeps): Promise<DecodedPending> {
  const empty: DecodedPending = {
    chain: pending.chain,
    network: null,
    wallets: [...new Set([...pending.hashes, ...(pending.signatures ?? []).map((s) => s.id)])],
    sourceAddresses: [],
    transfers: [],
    fee: null,
    nonce: null,
    problem: null,
    policy: { configured: false, allowed: false, reasons: [] },
  };
  if (!isChainId(pending.chain)) return { ...empty, problem: `chain ${pending.chain} is not supported` };
  const chain: ChainId = pending.chain;
  let resolved;
  let network: NetworkName;
  try {
    // The wallets' own network: one approvals service serves the loops of every network.
    network = (await deps.wallets.getWallet(pending.hashes[0] ?? '')).network;
    resolved = await resolveWallets(deps.wallets, pending, chain, network);
  } catch (error) {
    return { ...empty, problem: errorMessage(error) };
  }
  const jobs = new JobStore(deps.db, 60_000, deps.clock);
  let prepared: Pick<PreparedTransaction, 'transfers' | 'unrecognized' | 'fee' | 'nonce'>;
  try {
    prepared =
      loopDecoded(pending) ??
      (await prepareTransaction({
        chain,
        network,
        wallets: resolved.keys,
        unsigned: pending.serializedTransaction,
      }));
  } catch (error) {
    return { ...empty, network, sourceAddresses: resolved.ownAddresses, problem: errorMessage(error) };
  }
  const verdict = await evaluatePolicy({
    chain,
    network,
    transaction: prepared,
    policy: deps.policy?.[chain],
    spentToday: (asset) => jobs.spentToday(resolved.signatureIds, asset, deps.clock(), pending.id),
  });
  return {
    ...empty,
    network,
    sourceAddresses: resolved.ownAddresses,
    transfers: prepared.transfers.map((t) => ({
      asset: t.asset,
      to: displayDestination(chain, network, t.to),
      amount: t.amount.toString(),
    })),
    fee: prepared.fee?.toString() ?? null,
    nonce: prepared.nonce?.toString() ?? null,
    problem:
      prepared.unrecognized === null ? null : `cannot decode the transaction: ${prepared.unrecognized}`,
    policy: { configured: verdict.policy, allowed: verdict.allowed, reasons: verdict.reasons },
  };
}

/**
 * The loop's own decode (the `decoded` of its HMAC-signed POST body): the transaction after the loop
 * completed it from its chain view, i.e. exactly what it will sign. Undefined when absent or malformed.
 */
function loopDecoded(
  pending: PendingTransaction,
): Pick<PreparedTransaction, 'transfers' | 'unrecognized' | 'fee' | 'nonce'> | undefined {
  const parsed = summarySchema.safeParse((pending as { decoded?: unknown }).decoded);
  if (!parsed.success) return undefined;
  const { transfers, unrecognized, fee, nonce } = parsed.data;
  return {
    transfers: transfers.map((t) => ({ ...t, amount: BigInt(t.amount) })),
    unrecognized,
    fee: fee === null ? null : BigInt(fee),
    nonce: nonce === null ? null : BigInt(nonce),
  };
}

const digits = z.string().regex(/^\d+$/);
const summarySchema = z.object({
  transfers: z.array(
    z.object({ asset: z.string(), to: z.string(), amount: digits, memo: z.string().optional() }),
  ),
  unrecognized: z.string().nullable(),
  fee: digits.nullable(),
  nonce: digits.nullable(),
});

function displayDestination(chain: ChainId, network: NetworkName, to: string): string {
  if (getChain(chain).family !== 'bitcoin') return to;
  try {
    return btcAddress.fromOutputScript(Buffer.from(to, 'hex'), bitcoinjsNetwork(chain, network));
  } catch {
    return `script:${to}`;
  }
}
