// Signs Tatum's ALGO payload with one Ed25519 KMS wallet key. prepareAlgorandTransaction checks every
// field of the payload, re-encodes the transaction with algosdk 3 (canonical msgpack) and takes what
// Algorand signs — "TX" ‖ msgpack(transaction), algosdk's bytesToSign() — before any KMS call; `sign`
// makes the one Sign call (pure Ed25519 over those bytes, MessageType=RAW) and encodes the signed
// transaction, which goes to Tatum as hex (tatum-kms: v1 signAlgoKMSTransaction returns the hex of
// signTxn's msgpack and posts it to /v3/algorand/broadcast).
import { decodeSignedTransaction, encodeAddress, Transaction, TransactionType } from 'algosdk';
import { getFamilyChain } from '../../chains/index.js';
import { MAX_SIGN_MESSAGE_BYTES } from '../../kms/key-specs.js';
import { verifyEd25519 } from '../../kms/ed25519.js';
import { resolveEd25519Wallet } from '../ed25519-wallet.js';
import type { PreparedTransaction, Transfer } from '../prepared.js';
import { refuse, type MessageSigner, type PrepareRequestBase, type SignedTransaction } from '../types.js';
import { parseAlgorandPayload, type AlgorandPayloadFields } from './payload.js';

/** Highest fee signed, in microAlgos (0.1 ALGO, 100 × the 1,000 minimum; Tatum's transfers pay 1,000). */
export const MAX_ALGO_FEE_MICROALGOS = 100_000n;
/** A transaction is valid for at most 1,000 rounds (consensus MaxTxnLife). */
const MAX_VALIDITY_ROUNDS = 1000n;
/** Consensus MaxTxnNoteBytes. */
const MAX_NOTE_BYTES = 1024;

export interface AlgorandPrepareRequest extends PrepareRequestBase {
  /** Tatum's `serializedTransaction`: JSON of an algosdk 1.x Transaction (see payload.ts). */
  unsigned: string | object;
}

export type PreparedAlgorandTransaction = PreparedTransaction<MessageSigner>;

export function prepareAlgorandTransaction(
  request: AlgorandPrepareRequest,
): Promise<PreparedAlgorandTransaction> {
  // Deferred so that a refusal arrives as a rejected promise, like every family's prepare.
  return Promise.resolve().then(() => prepareNow(request));
}

function checkFields(
  fields: AlgorandPayloadFields,
  network: 'mainnet' | 'testnet' | 'regtest',
  wallet: string,
) {
  const { genesisId, genesisHash } = getFamilyChain('algorand', 'ALGO', network).params;
  if (fields.genesisId !== genesisId) {
    refuse('CHAIN_MISMATCH', 'genesisID', `is ${fields.genesisId}; ALGO ${network} is ${genesisId}`);
  }
  if (Buffer.from(fields.genesisHash).toString('base64') !== genesisHash) {
    refuse('CHAIN_MISMATCH', 'genesisHash', `is not the genesis hash of ALGO ${network} (${genesisHash})`);
  }
  const sender = encodeAddress(fields.sender);
  if (sender !== wallet) refuse('SENDER_NOT_OURS', 'from', `is ${sender}, not the wallet ${wallet}`);
  if (fields.fee > MAX_ALGO_FEE_MICROALGOS) {
    refuse(
      'FEE_TOO_HIGH',
      'fee',
      `is ${fields.fee} microAlgos; at most ${MAX_ALGO_FEE_MICROALGOS} are signed`,
    );
  }
  if (fields.lastRound < fields.firstRound || fields.lastRound - fields.firstRound > MAX_VALIDITY_ROUNDS) {
    refuse(
      'MALFORMED_TRANSACTION',
      'lastRound',
      `must be within ${MAX_VALIDITY_ROUNDS} rounds after firstRound`,
    );
  }
  if (fields.note.length > MAX_NOTE_BYTES) {
    refuse(
      'MALFORMED_TRANSACTION',
      'note',
      `is ${fields.note.length} bytes; Algorand allows ${MAX_NOTE_BYTES}`,
    );
  }
}

/** The transaction algosdk 3 builds from the checked fields; the fee is taken as the exact fee (flat). */
function build(fields: AlgorandPayloadFields, genesisHash: Uint8Array): Transaction {
  const receiver = encodeAddress(fields.receiver);
  const common = {
    sender: encodeAddress(fields.sender),
    note: fields.note,
    suggestedParams: {
      flatFee: true,
      fee: fields.fee,
      minFee: 0n,
      firstValid: fields.firstRound,
      lastValid: fields.lastRound,
      genesisID: fields.genesisId,
      genesisHash,
    },
  };
  return fields.assetIndex === undefined
    ? new Transaction({
        ...common,
        type: TransactionType.pay,
        paymentParams: { receiver, amount: fields.amount },
      })
    : new Transaction({
        ...common,
        type: TransactionType.axfer,
        assetTransferParams: { receiver, amount: fields.amount, assetIndex: fields.assetIndex },
      });
}

function prepareNow(request: AlgorandPrepareRequest): PreparedAlgorandTransaction {
  const { wallet, network, address } = resolveEd25519Wallet(request, 'ALGO');
  const fields = parseAlgorandPayload(request.unsigned);
  checkFields(fields, network, address);
  const txn = build(fields, fields.genesisHash);
  const message = txn.bytesToSign();
  if (message.length > MAX_SIGN_MESSAGE_BYTES) {
    refuse(
      'MALFORMED_TRANSACTION',
      'serializedTransaction',
      `signs ${message.length} bytes; KMS signs at most ${MAX_SIGN_MESSAGE_BYTES}`,
    );
  }
  const messageHex = Buffer.from(message).toString('hex');
  const note = Buffer.from(fields.note).toString('utf8');
  const transfer: Transfer = {
    asset: fields.assetIndex === undefined ? 'native' : fields.assetIndex.toString(),
    to: encodeAddress(fields.receiver),
    amount: fields.amount,
    ...(note === '' ? {} : { memo: note }),
  };
  return {
    chain: 'ALGO',
    network,
    transfers: [transfer],
    unrecognized: null,
    fee: fields.fee,
    nonce: null,
    digests: [{ keyId: wallet.keyId, digest: messageHex, inputIndex: 0 }],
    async sign(signer: MessageSigner): Promise<SignedTransaction> {
      const { signature } = await signer.signMessage(wallet.keyId, message, wallet.publicKey);
      const signed = txn.attachSignature(address, signature);
      assertSignedBy(signed, message, wallet.publicKey);
      return {
        chain: 'ALGO',
        network,
        signed: Buffer.from(signed).toString('hex'),
        txId: txn.txID(),
        digests: [{ keyId: wallet.keyId, digest: messageHex, inputIndex: 0 }],
      };
    },
  };
}

/** prepareAlgorandTransaction, then one KMS Sign call. */
export async function signAlgorandTransaction(
  request: AlgorandPrepareRequest & { signer: MessageSigner },
): Promise<SignedTransaction> {
  return (await prepareAlgorandTransaction(request)).sign(request.signer);
}

/** The signed transaction decodes to ours, single-signed (no auth address), and its signature verifies. */
function assertSignedBy(signed: Uint8Array, message: Uint8Array, publicKey: Uint8Array): void {
  const decoded = decodeSignedTransaction(signed);
  const { sig } = decoded;
  if (
    !Buffer.from(decoded.txn.bytesToSign()).equals(Buffer.from(message)) ||
    decoded.sgnr !== undefined ||
    decoded.msig !== undefined ||
    decoded.lsig !== undefined ||
    sig === undefined ||
    !verifyEd25519(sig, message, publicKey)
  ) {
    throw new Error('signed ALGO transaction does not carry a valid wallet signature over the message');
  }
}
