// Wallet → Flow account. Flow addresses are assigned by the chain when an account is created
// (https://developers.flow.com/build/basics/accounts), so a FLOW wallet is created with its KMS key only and
// then registered with the account someone else created holding that key. Before the mapping is stored,
// the Flow node must show the key at that index exactly as we sign with it: the wallet's public key (X‖Y),
// ECDSA_secp256k1, SHA2_256 or SHA3_256 (the digest we compute), not revoked, weight 1000 (enough to
// authorize alone; Tatum's SDK registers its keys with weight 1000). The address then becomes the
// wallet's address (unique per chain and network; `addresses` stays empty: no derived format) and the
// hash algorithm is taken from the node.
import type { FlowAccountKeyView } from '../chain-view/index.js';
import { getChain, type NetworkName } from '../chains/index.js';
import { isPending, checkSet, walletDocSchema } from '../db/index.js';
import { loadSecp256k1 } from '../crypto/libsecp256k1.js';
import { parsePublicKey } from '../crypto/public-key.js';
import { flowAddress } from '../signer/flow/voucher.js';
import { WalletError, type WalletView } from './contract.js';
import type { ServiceContext } from './context.js';
import { isDuplicateKey } from './errors.js';
import { checkIndex, checkSignatureId, invalid } from './validation.js';
import { walletView } from './views.js';

/** What registration reads of a Flow node (FlowChainView). */
export interface FlowAccountReader {
  account(address: string): Promise<{ keys: FlowAccountKeyView[] }>;
}

/** The Flow node of a network, if one is configured (may load the chain views first: see service.ts). */
export type FlowNodeFor = (
  network: NetworkName,
) => FlowAccountReader | undefined | Promise<FlowAccountReader | undefined>;

export interface FlowAccountInput {
  address: string;
  keyIndex: number;
}

const FULL_WEIGHT = 1000;

function checkAddress(value: unknown): string {
  try {
    return flowAddress(value, 'address', 'INVALID_REQUEST');
  } catch {
    throw invalid('address', 'must be a Flow address: 16 hex digits, optionally 0x-prefixed');
  }
}

/** The node's key at keyIndex, checked against the wallet's public key; returns its hash algorithm. */
function checkKey(
  key: FlowAccountKeyView | undefined,
  address: string,
  keyIndex: number,
  publicKey: string,
): 'SHA2_256' | 'SHA3_256' {
  const where = `${address} key ${keyIndex}`;
  if (key === undefined) throw invalid('keyIndex', `the Flow node shows no ${where}`);
  const xy = Buffer.from(parsePublicKey(Buffer.from(publicKey, 'hex')).uncompressed.subarray(1)).toString(
    'hex',
  );
  if (key.publicKey.replace(/^0x/, '').toLowerCase() !== xy) {
    throw invalid('keyIndex', `${where} is not the wallet's public key`);
  }
  if (key.signingAlgorithm !== 'ECDSA_secp256k1') {
    throw invalid('keyIndex', `${where} is ${key.signingAlgorithm}; the wallet signs ECDSA_secp256k1`);
  }
  if (key.hashingAlgorithm !== 'SHA2_256' && key.hashingAlgorithm !== 'SHA3_256') {
    throw invalid('keyIndex', `${where} hashes with ${key.hashingAlgorithm}; SHA2_256 or SHA3_256 needed`);
  }
  if (key.revoked) throw invalid('keyIndex', `${where} is revoked`);
  if (key.weight < FULL_WEIGHT) {
    throw invalid(
      'keyIndex',
      `${where} has weight ${key.weight}; ${FULL_WEIGHT} is needed to authorize alone`,
    );
  }
  return key.hashingAlgorithm;
}

export async function registerFlowAccount(
  ctx: ServiceContext,
  rawSignatureId: string,
  input: FlowAccountInput,
  /** The wallet network's Flow node; asked only once the request and the wallet passed their checks. */
  nodeFor: FlowNodeFor,
): Promise<WalletView> {
  const signatureId = checkSignatureId(rawSignatureId);
  const address = checkAddress(input.address);
  const keyIndex = checkIndex(input.keyIndex, 'keyIndex');
  const wallet = await ctx.wallets.findOne({ _id: signatureId });
  if (!wallet) throw new WalletError('NOT_FOUND', 'no such wallet');
  if (getChain(wallet.chain).family !== 'flow')
    throw invalid('chain', `${wallet.chain} addresses are derived, not registered`);
  if (wallet.status !== 'ACTIVE' || wallet.publicKey === null) {
    throw new WalletError(
      'INVALID_STATE',
      `the wallet is ${wallet.status}; only an ACTIVE wallet is registered`,
    );
  }
  if (!isPending(wallet.address)) {
    if (wallet.address === address && wallet.flowAccount?.keyIndex === keyIndex) return walletView(wallet);
    throw new WalletError('CONFLICT', `the wallet is registered with ${wallet.address} already`);
  }
  const node = await nodeFor(wallet.network);
  if (node === undefined) {
    throw new WalletError('UNAVAILABLE', 'no Flow access node is configured (KMS_SIGNER_RPC_FLOW)');
  }
  const { keys } = await node.account(address);
  await loadSecp256k1(); // checkKey parses the wallet's key
  const hashAlgorithm = checkKey(
    keys.find((k) => k.index === keyIndex),
    address,
    keyIndex,
    wallet.publicKey,
  );
  const set = {
    address,
    flowAccount: { keyIndex, hashAlgorithm },
    updatedAt: ctx.clock(),
  };
  try {
    await ctx.wallets.updateOne(
      { _id: signatureId, address: wallet.address },
      { $set: checkSet(walletDocSchema, 'wallets', set) },
    );
  } catch (error) {
    if (isDuplicateKey(error)) throw new WalletError('CONFLICT', `${address} belongs to another wallet`);
    throw error;
  }
  const updated = await ctx.wallets.findOne({ _id: signatureId });
  if (!updated || updated.address !== address)
    throw new WalletError('CONFLICT', 'the wallet changed meanwhile; retry');
  return walletView(updated);
}
