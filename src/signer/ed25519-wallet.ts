// The wallet side of an Ed25519 account-style request (ADA, EGLD): the request's chain and network, and
// exactly one wallet with a valid Ed25519 public key, whose address on that network is derived here.
import {
  chainKeySpec,
  deriveAddress,
  getChain,
  isNetworkName,
  listNetworks,
  type ChainId,
  type NetworkName,
} from '../chains/index.js';
import { ED25519_KEY_SPEC } from '../kms/key-specs.js';
import { ed25519PublicKeyProblem } from '../kms/ed25519.js';
import { refuse, type PrepareRequestBase, type WalletKey } from './types.js';

export interface Ed25519Wallet {
  wallet: WalletKey;
  network: NetworkName;
  /** The wallet's address in the chain's default format. */
  address: string;
}

export function resolveEd25519Wallet(request: PrepareRequestBase, chain: ChainId): Ed25519Wallet {
  if (request.chain !== chain) refuse('CHAIN_MISMATCH', 'chain', `is ${request.chain}, not ${chain}`);
  const network: unknown = request.network;
  if (typeof network !== 'string' || !isNetworkName(network) || !listNetworks(chain).includes(network)) {
    refuse('CHAIN_MISMATCH', 'network', `${chain} has no ${String(network)} network`);
  }
  if (!Array.isArray(request.wallets) || request.wallets.length !== 1) {
    refuse('INVALID_REQUEST', 'wallets', `a ${chain} transaction is signed by exactly one wallet`);
  }
  const wallet = request.wallets[0] as WalletKey;
  const problem =
    wallet.publicKey instanceof Uint8Array
      ? ed25519PublicKeyProblem(wallet.publicKey)
      : 'must be a Uint8Array';
  if (problem) refuse('INVALID_REQUEST', 'wallets[0].publicKey', `Ed25519 public key ${problem}`);
  if (chainKeySpec(chain) !== ED25519_KEY_SPEC) {
    throw new Error(`${getChain(chain).name} must use Ed25519 keys`);
  }
  return { wallet, network, address: deriveAddress(chain, network, wallet.publicKey) };
}

/** A fee cap option: a whole, non-negative number of base units, or `fallback` when absent. */
export function feeCapOption(value: unknown, fallback: bigint, field: string, unit: string): bigint {
  return wholeNumberOption(value, field, unit) ?? fallback;
}

/** An optional whole, non-negative number (bigint, safe integer or decimal string). */
export function wholeNumberOption(value: unknown, field: string, unit: string): bigint | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'bigint' && value >= 0n) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'string' && /^(0|[1-9][0-9]{0,30})$/.test(value)) return BigInt(value);
  return refuse('INVALID_REQUEST', field, `must be a whole, non-negative number of ${unit}`);
}
