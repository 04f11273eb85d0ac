// Signs Tatum's SOL payload with one Ed25519 KMS wallet key. prepareSolanaTransaction decodes and checks
// everything and computes the exact message (the payload's placeholder blockhash replaced by a fresh one
// from a node of the wallet's network) before any KMS call; `sign` makes the one Sign call (pure Ed25519
// over the message, MessageType=RAW) and assembles the wire transaction.
import {
  type Address,
  getBase58Decoder,
  getTransactionDecoder,
  getTransactionEncoder,
  type SignatureBytes,
  type TransactionMessageBytes,
} from '@solana/kit';
import { getFamilyChain } from '../../chains/index.js';
import { verifyEd25519 } from '../../kms/ed25519.js';
import { resolveEd25519Wallet, type Ed25519Wallet } from '../ed25519-wallet.js';
import type { PreparedTransaction } from '../prepared.js';
import { refuse, type MessageSigner, type SignedTransaction, type SignRequestBase } from '../types.js';
import { decodeLegacyMessage, encodeWithBlockhash, MAX_TRANSACTION_BYTES } from './message.js';
import { parseSolanaPayload } from './payload.js';
import { LAMPORTS_PER_SIGNATURE, readTransfers } from './transfers.js';

/** A recent blockhash (RPC getLatestBlockhash) and the genesis hash (getGenesisHash) of the node it came from. */
export interface SolanaRecentBlockhash {
  blockhash: string;
  genesisHash: string;
}

export interface SolanaSignRequest extends Omit<SignRequestBase, 'signer'> {
  /** Tatum's `serializedTransaction`: `{"txData": "<hex message>"}`, as an object or its JSON. */
  unsigned: string | object;
  /** Replaces the payload's placeholder; its genesis hash must be the wallet network's. */
  recentBlockhash: SolanaRecentBlockhash;
  signer: MessageSigner;
}

export type PreparedSolanaTransaction = PreparedTransaction<MessageSigner>;

function resolveWallet(request: Omit<SolanaSignRequest, 'signer'>): Ed25519Wallet {
  const resolved = resolveEd25519Wallet(request, 'SOL');
  const { genesisHash } = getFamilyChain('solana', 'SOL', resolved.network).params;
  if (request.recentBlockhash.genesisHash !== genesisHash) {
    refuse(
      'CHAIN_MISMATCH',
      'recentBlockhash.genesisHash',
      `is ${request.recentBlockhash.genesisHash}: the blockhash comes from another cluster than SOL ${resolved.network}`,
    );
  }
  return resolveEd25519Wallet(request, 'SOL');
}

/** Parses and checks the payload and computes the message; throws SigningRefusedError, never calls KMS. */
export function prepareSolanaTransaction(
  request: Omit<SolanaSignRequest, 'signer'>,
): Promise<PreparedSolanaTransaction> {
  // Deferred so that a refusal arrives as a rejected promise, like every family's prepare.
  return Promise.resolve().then(() => prepareNow(request));
}

function prepareNow(request: Omit<SolanaSignRequest, 'signer'>): PreparedSolanaTransaction {
  const { wallet, network, address } = resolveWallet(request);
  const message = decodeLegacyMessage(parseSolanaPayload(request.unsigned));
  const transfers = readTransfers(message, address);
  const messageBytes = encodeWithBlockhash(message, request.recentBlockhash.blockhash);
  // One signature (64 bytes) and its compact-u16 count precede the message on the wire.
  if (1 + 64 + messageBytes.length > MAX_TRANSACTION_BYTES) {
    refuse(
      'MALFORMED_TRANSACTION',
      'txData',
      `the signed transaction would exceed Solana's ${MAX_TRANSACTION_BYTES}-byte limit`,
    );
  }
  const messageHex = Buffer.from(messageBytes).toString('hex');
  return {
    chain: 'SOL',
    network,
    transfers,
    unrecognized: null,
    fee: LAMPORTS_PER_SIGNATURE * BigInt(message.header.numSignerAccounts),
    nonce: null,
    digests: [{ keyId: wallet.keyId, digest: messageHex, inputIndex: 0 }],
    async sign(signer: MessageSigner): Promise<SignedTransaction> {
      const { signature } = await signer.signMessage(wallet.keyId, messageBytes, wallet.publicKey);
      const wire = assemble(messageBytes, address, signature);
      assertSignedBy(wire, messageBytes, wallet.publicKey);
      return {
        chain: 'SOL',
        network,
        signed: Buffer.from(wire).toString('hex'),
        txId: getBase58Decoder().decode(signature),
        digests: [{ keyId: wallet.keyId, digest: messageHex, inputIndex: 0 }],
      };
    },
  };
}

/** prepareSolanaTransaction, then one KMS Sign call. */
export async function signSolanaTransaction(request: SolanaSignRequest): Promise<SignedTransaction> {
  return (await prepareSolanaTransaction(request)).sign(request.signer);
}

function assemble(messageBytes: Uint8Array, feePayer: string, signature: Uint8Array): Uint8Array {
  const transaction = {
    messageBytes: messageBytes as unknown as TransactionMessageBytes,
    signatures: { [feePayer as Address]: signature as SignatureBytes },
  };
  return Uint8Array.from(getTransactionEncoder().encode(transaction));
}

/** The wire transaction decodes back to our message with one signature that verifies (an independent check). */
function assertSignedBy(wire: Uint8Array, messageBytes: Uint8Array, publicKey: Uint8Array): void {
  const decoded = getTransactionDecoder().decode(wire);
  const signatures = Object.values(decoded.signatures);
  const [signature] = signatures;
  if (
    !Buffer.from(decoded.messageBytes).equals(Buffer.from(messageBytes)) ||
    signatures.length !== 1 ||
    !signature ||
    !verifyEd25519(signature, messageBytes, publicKey)
  ) {
    throw new Error('assembled SOL transaction does not carry a valid wallet signature over the message');
  }
}

/**
 * The SOL each instruction of a Tatum payload moves, for policy decisions that have no wallet key at
 * hand: the fee payer must be one of `ownAddresses`. Throws SigningRefusedError like prepare does.
 */
export function readSolanaPayloadTransfers(unsigned: string | object, ownAddresses: readonly string[]) {
  const message = decodeLegacyMessage(parseSolanaPayload(unsigned));
  const feePayer = message.staticAccounts[0];
  if (feePayer === undefined || !ownAddresses.includes(feePayer)) {
    refuse('SENDER_NOT_OURS', 'txData.feePayer', `is ${String(feePayer)}, not one of our wallets`);
  }
  return readTransfers(message, feePayer);
}
