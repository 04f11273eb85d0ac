// The one place the approvals service decodes a pending transaction for the operators: what it moves
// (from the signer's decode, never Tatum's description), the wallets it spends from, fee, nonce, and the
// signing policy's verdict. Until prepareTransaction (src/signer/prepared.ts) lands for every family,
// transfers come from the policy's decodeTransfers and fee/nonce from the EVM signer's payload parser;
// re-point this module to `prepare…Transaction(...)` and nothing else in src/approvals changes.
import { address as btcAddress } from 'bitcoinjs-lib';
import type { Db } from 'mongodb';
import { bitcoinjsNetwork, getChain, isChainId, type ChainId, type NetworkName } from '../chains/index.js';
import { resolveEvmTarget } from '../signer/evm/checks.js';
import { parsePayload } from '../signer/evm/payload.js';
import { parseRawTransaction } from '../signer/evm/raw.js';
import type { SigningPolicy } from '../tatum/config.js';
import { JobStore } from '../tatum/jobs.js';
import { decodeTransfers, evaluatePolicy } from '../tatum/policy.js';
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
  wallets: Pick<WalletService, 'getWallet' | 'getAddress'>;
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
    return { ...empty, problem: message(error) };
  }
  const decoded = decodeTransfers(chain, network, pending.serializedTransaction, resolved.ownAddresses);
  const jobs = new JobStore(deps.db, 60_000, deps.clock);
  const verdict = await evaluatePolicy({
    chain,
    network,
    serializedTransaction: pending.serializedTransaction,
    ownAddresses: resolved.ownAddresses,
    policy: deps.policy?.[chain],
    spentToday: (asset) => jobs.spentToday(resolved.signatureIds, asset, deps.clock(), pending.id),
  });
  const feeAndNonce = evmFeeAndNonce(chain, network, pending.serializedTransaction, resolved.ownAddresses);
  return {
    ...empty,
    network,
    sourceAddresses: resolved.ownAddresses,
    transfers: decoded.ok
      ? decoded.transfers.map((t) => ({
          asset: t.asset,
          to: displayDestination(chain, network, t.to),
          amount: t.amount.toString(),
        }))
      : [],
    ...feeAndNonce,
    problem: decoded.ok ? null : `cannot decode the transaction: ${decoded.reason}`,
    policy: { configured: verdict.policy, allowed: verdict.allowed, reasons: verdict.reasons },
  };
}

function displayDestination(chain: ChainId, network: NetworkName, to: string): string {
  if (getChain(chain).family !== 'bitcoin') return to;
  try {
    return btcAddress.fromOutputScript(Buffer.from(to, 'hex'), bitcoinjsNetwork(chain, network));
  } catch {
    return `script:${to}`;
  }
}

/** EVM only (other families: null until their prepare step reports fee and nonce). Fee = worst case. */
function evmFeeAndNonce(
  chain: ChainId,
  network: NetworkName,
  serialized: string,
  own: readonly string[],
): { fee: string | null; nonce: string | null } {
  if (getChain(chain).family !== 'evm') return { fee: null, nonce: null };
  try {
    const text = serialized.trim();
    const tx = text.startsWith('{')
      ? parsePayload(JSON.parse(text), resolveEvmTarget(chain, network), own[0] ?? '').tx
      : parseRawTransaction(text);
    const perGas = tx.maxFeePerGas ?? tx.gasPrice;
    return { fee: perGas === null ? null : (tx.gasLimit * perGas).toString(), nonce: String(tx.nonce) };
  } catch {
    return { fee: null, nonce: null };
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
