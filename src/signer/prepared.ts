// The one decode of an unsigned transaction: each chain family parses and checks the payload once into a
// PreparedTransaction. Policy, four-eye, the audit record and the signer all use that same object, and
// `sign` signs exactly the digests listed here — nothing is parsed again from the text.
import type { ChainId, NetworkName } from '../chains/index.js';
import type { DigestSigner, MessageSigner, SignedDigest, SignedTransaction } from './types.js';

/**
 * One movement of value out of our wallets. `asset` is "native" or the token's identifier (EVM/TRON: the
 * contract address in the chain's canonical form); `to` is the destination in canonical form (Bitcoin
 * family: the output script as hex, since several addresses can encode one script).
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
  /** Everything the transaction moves out of our wallets; change back to a signing wallet is excluded. */
  transfers: readonly Transfer[];
  /** Fee in the chain's base unit (EVM: the worst case, gas limit × max fee per gas); null when unknown. */
  fee: bigint | null;
  /** Nonce or account sequence; null for UTXO chains. */
  nonce: bigint | null;
  /** What `sign` will ask KMS to sign (hex), with the key that signs it; one entry per Sign call. */
  digests: readonly SignedDigest[];
  /** Signs exactly these digests (Ed25519: messages), assembles and checks the signed transaction. */
  sign(signer: Signer): Promise<SignedTransaction>;
}
