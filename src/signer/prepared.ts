// The one decode of an unsigned transaction: each chain family parses and checks the payload once into a
// PreparedTransaction. Policy, four-eye, the audit record and the signer all use that same object, and
// `sign` signs exactly the digests listed here — nothing is parsed again from the text.
import type { ChainId, NetworkName } from '../chains/index.js';
import type { DigestSigner, MessageSigner, SignedDigest, SignedTransaction } from './types.js';

/**
 * One movement of value out of our wallets. `asset` is "native" or the token's identifier (EVM: the
 * contract address in lowercase; TRON: the contract's T… address); `to` is the destination in canonical
 * form (EVM: lowercase 0x; TRON: T…; Bitcoin family: the output script as hex, since several addresses
 * can encode one script).
 */
export interface Transfer {
  asset: string;
  to: string;
  amount: bigint;
  /** Routing data the destination needs to credit the transfer (XRP destination tag, Stellar memo…). */
  memo?: string;
}

/**
 * `Signer` is what `sign` needs from KMS: a DigestSigner (ECDSA over our digests) for secp256k1 chains, a
 * MessageSigner (pure Ed25519 over the message) for Ed25519 chains. KmsVault is both.
 */
export interface PreparedTransaction<Signer extends DigestSigner | MessageSigner = DigestSigner> {
  chain: ChainId;
  network: NetworkName;
  /** Everything the transaction moves out of our wallets that this decode recognises; change excluded. */
  transfers: readonly Transfer[];
  /**
   * Why `transfers` may not show everything the transaction does (a contract call other than a token
   * transfer, contract creation, staking…); null when it does. Policy denies such a transaction.
   */
  unrecognized: string | null;
  /** Fee in the chain's base unit (EVM: the worst case, gas limit × max fee per gas); null when unknown. */
  fee: bigint | null;
  /** Nonce or account sequence; null for UTXO chains. */
  nonce: bigint | null;
  /** What `sign` will ask KMS to sign (hex), with the key that signs it; one entry per Sign call. */
  digests: readonly SignedDigest[];
  /** Signs exactly these digests (Ed25519: messages), assembles and checks the signed transaction. */
  sign(signer: Signer): Promise<SignedTransaction>;
}

/** The JSON form of a transfer (amounts as decimal strings), for four-eye, the audit and the job. */
export interface TransferView {
  asset: string;
  to: string;
  amount: string;
  memo?: string;
}

/** What a PreparedTransaction says, as plain JSON: the four-eye POST body's `decoded`, the audit record. */
export interface TransactionSummary {
  chain: ChainId;
  network: NetworkName;
  transfers: TransferView[];
  unrecognized: string | null;
  fee: string | null;
  nonce: string | null;
  digests: SignedDigest[];
}

export function transferView(transfer: Transfer): TransferView {
  const { asset, to, amount, memo } = transfer;
  return memo === undefined
    ? { asset, to, amount: amount.toString() }
    : { asset, to, amount: amount.toString(), memo };
}

export function summarize(prepared: PreparedTransaction): TransactionSummary {
  return {
    chain: prepared.chain,
    network: prepared.network,
    transfers: prepared.transfers.map(transferView),
    unrecognized: prepared.unrecognized,
    fee: prepared.fee?.toString() ?? null,
    nonce: prepared.nonce?.toString() ?? null,
    digests: prepared.digests.map((d) => ({ ...d })),
  };
}
