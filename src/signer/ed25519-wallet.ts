// The one wallet of an Ed25519 chain's transaction, checked before anything is decoded: the chain and a
// network the registry defines for it, exactly one wallet, its public key a valid Ed25519 key, and the
// address the chain derives from it (what the payload's source / sender must be).
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
  address: string;
}

export function resolveEd25519Wallet(request: PrepareRequestBase, chain: ChainId): Ed25519Wallet {
  if (request.chain !== chain) refuse('CHAIN_MISMATCH', 'chain', `is ${request.chain}, not ${chain}`);
  if (chainKeySpec(chain) !== ED25519_KEY_SPEC) throw new Error(`${chain} must use Ed25519 keys`);
  const network: unknown = request.network;
  if (typeof network !== 'string' || !isNetworkName(network) || !listNetworks(chain).includes(network)) {
    refuse('CHAIN_MISMATCH', 'network', `${getChain(chain).name} has no network ${String(network)}`);
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
  return { wallet, network, address: deriveAddress(chain, network, wallet.publicKey) };
}
