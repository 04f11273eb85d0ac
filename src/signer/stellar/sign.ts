// Signs Tatum's XLM payload with one Ed25519 KMS wallet key. prepareStellarTransaction decodes and checks
// the envelope and computes what Stellar signs — the transaction hash sha256(network id ‖
// ENVELOPE_TYPE_TX ‖ tx), network id = sha256(passphrase of the wallet's network), computed by
// stellar-base from our passphrase, never taken from the payload — before any KMS call; `sign` makes the
// one Sign call (pure Ed25519 over the 32-byte hash, MessageType=RAW) and adds the decorated signature.
import { Keypair, Transaction, xdr } from '@stellar/stellar-base';
import { getFamilyChain } from '../../chains/index.js';
import { verifyEd25519 } from '../../kms/ed25519.js';
import { resolveEd25519Wallet } from '../ed25519-wallet.js';
import type { PreparedTransaction } from '../prepared.js';
import { refuse, type MessageSigner, type PrepareRequestBase, type SignedTransaction } from '../types.js';
import { checkConditions } from './conditions.js';
import { decodeUnsignedEnvelope } from './envelope.js';
import { readTransfers } from './operations.js';

/** Highest total fee signed, in stroops (0.01 XLM): Tatum sets 100 per operation; surge pricing rarely nears this. */
export const MAX_XLM_FEE_STROOPS = 100_000n;

export interface StellarPrepareRequest extends PrepareRequestBase {
  /** Tatum's `serializedTransaction`: base64 XDR of the unsigned TransactionEnvelope. */
  unsigned: string | object;
  /** Seconds since the epoch, for the expiry check; defaults to now. */
  nowSeconds?: number;
}

export type PreparedStellarTransaction = PreparedTransaction<MessageSigner>;

export function prepareStellarTransaction(
  request: StellarPrepareRequest,
): Promise<PreparedStellarTransaction> {
  // Deferred so that a refusal arrives as a rejected promise, like every family's prepare.
  return Promise.resolve().then(() => prepareNow(request));
}

function prepareNow(request: StellarPrepareRequest): PreparedStellarTransaction {
  const { wallet, network, address } = resolveEd25519Wallet(request, 'XLM');
  const { networkPassphrase } = getFamilyChain('stellar', 'XLM', network).params;
  const envelope = decodeUnsignedEnvelope(request.unsigned);
  const tx = new Transaction(envelope, networkPassphrase);
  checkConditions(envelope.v1().tx(), tx, request.nowSeconds ?? Math.floor(Date.now() / 1000));
  const transfers = readTransfers(tx, address);
  const fee = BigInt(tx.fee);
  if (fee > MAX_XLM_FEE_STROOPS) {
    refuse('FEE_TOO_HIGH', 'fee', `is ${fee} stroops; at most ${MAX_XLM_FEE_STROOPS} are signed`);
  }
  const hash = Uint8Array.from(tx.hash());
  const hashHex = Buffer.from(hash).toString('hex');
  const envelopeBytes = Uint8Array.from(envelope.toXDR());
  return {
    chain: 'XLM',
    network,
    transfers,
    unrecognized: null,
    fee,
    nonce: BigInt(tx.sequence),
    digests: [{ keyId: wallet.keyId, digest: hashHex, inputIndex: 0 }],
    async sign(signer: MessageSigner): Promise<SignedTransaction> {
      const { signature } = await signer.signMessage(wallet.keyId, hash, wallet.publicKey);
      const signed = withSignature(envelopeBytes, address, signature);
      assertSignedBy(signed, envelopeBytes, hash, wallet.publicKey);
      return {
        chain: 'XLM',
        network,
        signed: Buffer.from(signed).toString('base64'),
        txId: hashHex,
        digests: [{ keyId: wallet.keyId, digest: hashHex, inputIndex: 0 }],
      };
    },
  };
}

/** prepareStellarTransaction, then one KMS Sign call. */
export async function signStellarTransaction(
  request: StellarPrepareRequest & { signer: MessageSigner },
): Promise<SignedTransaction> {
  return (await prepareStellarTransaction(request)).sign(request.signer);
}

/** A fresh copy of the unsigned envelope with one DecoratedSignature (hint = last 4 key bytes). */
function withSignature(envelopeBytes: Uint8Array, address: string, signature: Uint8Array): Uint8Array {
  const envelope = xdr.TransactionEnvelope.fromXDR(Buffer.from(envelopeBytes));
  const hint = Keypair.fromPublicKey(address).signatureHint();
  envelope
    .v1()
    .signatures()
    .push(new xdr.DecoratedSignature({ hint, signature: Buffer.from(signature) }));
  return Uint8Array.from(envelope.toXDR());
}

/** The signed envelope is ours plus exactly one signature that verifies over the hash (an independent check). */
function assertSignedBy(
  signed: Uint8Array,
  envelopeBytes: Uint8Array,
  hash: Uint8Array,
  publicKey: Uint8Array,
): void {
  const envelope = xdr.TransactionEnvelope.fromXDR(Buffer.from(signed));
  const signatures = envelope.v1().signatures();
  const [only] = signatures;
  envelope.v1().signatures([]);
  if (
    !envelope.toXDR().equals(Buffer.from(envelopeBytes)) ||
    signatures.length !== 1 ||
    !only ||
    !verifyEd25519(only.signature(), hash, publicKey)
  ) {
    throw new Error('signed XLM envelope does not carry a valid wallet signature over the transaction hash');
  }
}
