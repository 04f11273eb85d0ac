// Shared vocabulary of the chain signers: which wallet keys may sign, the KMS signing port, and the
// refusal error raised before any KMS call when a transaction cannot or must not be signed.
import type { KmsSignature } from '../crypto/signature.js';
import type { KmsEd25519Signature } from '../kms/vault.js';
import type { ChainId, NetworkName } from '../chains/index.js';

/** One wallet key the caller allows to sign: the KMS key and the public key stored at creation. */
export interface WalletKey {
  /** KMS key id or ARN. */
  keyId: string;
  /**
   * As stored with the wallet: a 33-byte compressed (or 65-byte uncompressed) secp256k1 public key, or
   * the 32-byte Ed25519 public key on Ed25519 chains.
   */
  publicKey: Uint8Array;
  /** Optional label (e.g. the wallet's signatureId) used in error messages. */
  walletId?: string;
}

/** What the signers need from KMS; KmsVault implements it. */
export interface DigestSigner {
  signDigest(keyId: string, digest: Uint8Array, publicKey: Uint8Array): Promise<KmsSignature>;
}

/** What Ed25519 signers need from KMS (pure Ed25519 over the message itself); KmsVault implements it. */
export interface MessageSigner {
  signMessage(keyId: string, message: Uint8Array, publicKey: Uint8Array): Promise<KmsEd25519Signature>;
}

/** What every family needs to decode a transaction: where it goes and which wallet keys may sign it. */
export interface PrepareRequestBase {
  chain: ChainId;
  network: NetworkName;
  wallets: WalletKey[];
}

export interface SignRequestBase extends PrepareRequestBase {
  signer: DigestSigner;
}

/** Evidence of what was signed, for the audit trail: one entry per KMS Sign call. */
export interface SignedDigest {
  keyId: string;
  /**
   * Hex of what KMS signed: the 32-byte digest (ECDSA, MessageType=DIGEST) or, on Ed25519 chains, the
   * whole message (MessageType=RAW, at most 4,096 bytes).
   */
  digest: string;
  /** Input index for UTXO chains; 0 for account chains. */
  inputIndex: number;
}

export interface SignedTransaction {
  chain: ChainId;
  network: NetworkName;
  /**
   * What goes to the chain: raw hex for Bitcoin-family and EVM (0x-prefixed for EVM),
   * the signed transaction JSON string for TRON, the hex wire transaction (signatures ‖ message) for SOL,
   * the base64 envelope XDR for XLM, the hex of the signed msgpack transaction for ALGO.
   */
  signed: string;
  /** Transaction id / hash as the chain's explorers show it. */
  txId: string;
  digests: SignedDigest[];
}

export type RefusalCode =
  | 'MALFORMED_TRANSACTION'
  | 'MISSING_INPUT_DATA'
  | 'UNSUPPORTED_SCRIPT'
  | 'INPUT_NOT_OURS'
  | 'OUTPUTS_EXCEED_INPUTS'
  /** The payload's amount or script of a spent output differs from the previous transaction. */
  | 'PREVOUT_MISMATCH'
  | 'FEE_TOO_HIGH'
  | 'CHAIN_MISMATCH'
  | 'SENDER_NOT_OURS'
  | 'DIGEST_MISMATCH'
  | 'ALREADY_SIGNED'
  | 'EXPIRED'
  | 'UNSUPPORTED_TRANSACTION'
  /** The request around the transaction is unusable: no wallets, a bad wallet public key, bad options. */
  | 'INVALID_REQUEST';

/**
 * The transaction cannot or must not be signed. Raised before any KMS Sign call, so nothing was
 * signed. `field` points at the offending part (e.g. "inputs[2].amount").
 */
export class SigningRefusedError extends Error {
  constructor(
    readonly code: RefusalCode,
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'SigningRefusedError';
  }
}

/** Raises a SigningRefusedError; shorthand for the many checks that run before the first KMS call. */
export function refuse(code: RefusalCode, field: string, reason: string): never {
  throw new SigningRefusedError(code, field, reason);
}
