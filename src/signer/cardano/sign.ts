// Signs an ADA transaction with one Ed25519 KMS wallet key (the payment key of the wallet's enterprise
// address). prepareCardanoTransaction decodes and checks the body and computes what is signed — the
// transaction id, blake2b-256 of the body's CBOR bytes (Cardano ledger spec, "Transactions": a vkey
// witness signs the hash of the body) — before any KMS call; `sign` makes the one Sign call (pure Ed25519
// over those 32 bytes, MessageType=RAW), adds the vkey witness and checks the result with the SDK.
import {
  Ed25519Signature,
  FixedTransaction,
  PublicKey,
  TransactionBody,
  TransactionWitnessSet,
  Vkey,
  Vkeywitness,
  Vkeywitnesses,
} from '@emurgo/cardano-serialization-lib-nodejs';
import { blake2b } from '@noble/hashes/blake2.js';
import { getFamilyChain } from '../../chains/index.js';
import { feeCapOption, resolveEd25519Wallet } from '../ed25519-wallet.js';
import type { PreparedTransaction } from '../prepared.js';
import { refuse, type MessageSigner, type PrepareRequestBase, type SignedTransaction } from '../types.js';
import { checkCardanoBody } from './body.js';
import { parseCardanoPayload } from './payload.js';
import { bodyFromRosettaOperations, isRosettaPayload } from './rosetta.js';

/** 2 ADA: a simple payment costs about 0.17–0.3 ADA (fee = 44 × size + 155,381 lovelace). */
export const DEFAULT_MAX_FEE_LOVELACE = 2_000_000n;

export interface CardanoSignOptions {
  /** Cap on the body's fee, in lovelace; replaces the default of 2,000,000 (2 ADA). */
  maxFeeLovelace?: bigint | number | string;
  /**
   * Tatum's Rosetta payload only: the body's ttl (an absolute slot). Tatum's construction asks its node
   * for tip + 1,000 slots (relative_ttl); without this option the body has no ttl.
   */
  ttlSlot?: bigint | number | string;
}

export interface CardanoSignRequest extends PrepareRequestBase {
  /** Hex CBOR of the unsigned transaction or of its body. */
  unsigned: string | object;
  options?: CardanoSignOptions;
  signer: MessageSigner;
}

export type PreparedCardanoTransaction = PreparedTransaction<MessageSigner>;

/** Parses and checks the body and computes its hash; throws SigningRefusedError, never calls KMS. */
export function prepareCardanoTransaction(
  request: Omit<CardanoSignRequest, 'signer'>,
): Promise<PreparedCardanoTransaction> {
  return Promise.resolve().then(() => prepareNow(request));
}

function prepareNow(request: Omit<CardanoSignRequest, 'signer'>): PreparedCardanoTransaction {
  const { wallet, network, address } = resolveEd25519Wallet(request, 'ADA');
  const { params } = getFamilyChain('cardano', 'ADA', network);
  const bodyBytes = isRosettaPayload(request.unsigned)
    ? bodyFromRosettaOperations(request.unsigned, address, ttlOption(request.options?.ttlSlot))
    : parseCardanoPayload(request.unsigned);
  const body = TransactionBody.from_bytes(bodyBytes);
  const { transfers, fee } = checkCardanoBody(body, network, params, address);
  const maxFee = feeCapOption(
    request.options?.maxFeeLovelace,
    DEFAULT_MAX_FEE_LOVELACE,
    'options.maxFeeLovelace',
    'lovelace',
  );
  if (fee > maxFee) refuse('FEE_TOO_HIGH', 'body.fee', `${fee} lovelace is above the cap of ${maxFee}`);
  const txHash = blake2b(bodyBytes, { dkLen: 32 });
  const digest = Buffer.from(txHash).toString('hex');
  const digests = [{ keyId: wallet.keyId, digest, inputIndex: 0 }];
  return {
    chain: 'ADA',
    network,
    transfers,
    unrecognized: null,
    fee,
    nonce: null,
    digests,
    async sign(signer: MessageSigner): Promise<SignedTransaction> {
      const { signature } = await signer.signMessage(wallet.keyId, txHash, wallet.publicKey);
      const signed = withVkeyWitness(bodyBytes, wallet.publicKey, signature);
      assertSignedBy(signed, txHash, wallet.publicKey);
      return { chain: 'ADA', network, signed, txId: digest, digests: digests.map((d) => ({ ...d })) };
    },
  };
}

/** prepareCardanoTransaction, then one KMS Sign call. */
export async function signCardanoTransaction(request: CardanoSignRequest): Promise<SignedTransaction> {
  return (await prepareCardanoTransaction(request)).sign(request.signer);
}

/** The whole transaction (hex CBOR): the original body bytes, one vkey witness, valid, no metadata. */
function withVkeyWitness(body: Uint8Array, publicKey: Uint8Array, signature: Uint8Array): string {
  const vkeys = Vkeywitnesses.new();
  vkeys.add(
    Vkeywitness.new(Vkey.new(PublicKey.from_bytes(publicKey)), Ed25519Signature.from_bytes(signature)),
  );
  const witnesses = TransactionWitnessSet.new();
  witnesses.set_vkeys(vkeys);
  return FixedTransaction.new(body, witnesses.to_bytes(), true).to_hex();
}

/**
 * Decodes the signed transaction again and lets the SDK judge it: its own transaction id must be the
 * hash we signed, and its one vkey witness (our key) must verify over that id.
 */
function assertSignedBy(signedHex: string, txHash: Uint8Array, publicKey: Uint8Array): void {
  const tx = FixedTransaction.from_hex(signedHex);
  const sdkHash = tx.transaction_hash().to_bytes();
  const vkeys = tx.witness_set().vkeys();
  const witness = vkeys?.len() === 1 ? vkeys.get(0) : undefined;
  const key = witness?.vkey().public_key();
  if (
    !Buffer.from(sdkHash).equals(Buffer.from(txHash)) ||
    !witness ||
    !key ||
    !Buffer.from(key.as_bytes()).equals(Buffer.from(publicKey)) ||
    !key.verify(sdkHash, witness.signature())
  ) {
    throw new Error('signed ADA transaction does not carry a valid wallet witness over its body hash');
  }
}

function ttlOption(value: bigint | number | string | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  try {
    const slot = BigInt(value);
    if (slot > 0n && slot < 2n ** 64n) return slot;
  } catch {
    // refused below
  }
  refuse('INVALID_REQUEST', 'options.ttlSlot', 'must be a slot number (a positive integer below 2^64)');
}
