// Signs an EGLD transaction with one Ed25519 KMS wallet key. prepareMultiversXTransaction parses and checks
// the payload and builds the exact message — the canonical JSON that @multiversx/sdk-core's
// TransactionComputer.computeBytesForSigning serialises (docs.multiversx.com "Signing transactions") —
// before any KMS call; `sign` makes the one Sign call (pure Ed25519 over that message, MessageType=RAW)
// and checks the signed transaction with the SDK's own verifier before it is released.
import { Address, Transaction, TransactionComputer, UserVerifier } from '@multiversx/sdk-core';
import { getFamilyChain, validateAddress } from '../../chains/index.js';
import { MAX_SIGN_MESSAGE_BYTES } from '../../kms/key-specs.js';
import { feeCapOption, resolveEd25519Wallet, wholeNumberOption } from '../ed25519-wallet.js';
import type { PreparedTransaction } from '../prepared.js';
import { refuse, type MessageSigner, type PrepareRequestBase, type SignedTransaction } from '../types.js';
import { parseEgldPayload, type EgldFields } from './payload.js';
import { readEgldTransfers } from './transfers.js';

/** 0.01 EGLD: a plain transfer costs 50,000 gas × 10^9 = 0.00005 EGLD, an ESDT transfer about 0.0005. */
export const DEFAULT_MAX_FEE_ATOMIC = 10n ** 16n;

export interface MultiversXSignOptions {
  /** The sender account's nonce (from a node), required for Tatum's payload, which carries none. */
  nonce?: bigint | number | string;
  /** Cap on gasLimit × gasPrice in atomic units (10^-18 EGLD); replaces the default of 0.01 EGLD. */
  maxFeeAtomic?: bigint | number | string;
}

export interface MultiversXSignRequest extends PrepareRequestBase {
  /** Tatum's `{from, to, value, data, gasPrice, gasLimit}` or an unsigned gateway-form transaction. */
  unsigned: string | object;
  options?: MultiversXSignOptions;
  signer: MessageSigner;
}

export type PreparedMultiversXTransaction = PreparedTransaction<MessageSigner>;

/** Versions whose signature covers computeBytesForSigning; `options` bits (guardian, hash signing) are refused. */
const SIGNABLE_VERSIONS = new Set([1, 2]);

export function prepareMultiversXTransaction(
  request: Omit<MultiversXSignRequest, 'signer'>,
): Promise<PreparedMultiversXTransaction> {
  return Promise.resolve().then(() => prepareNow(request));
}

function prepareNow(request: Omit<MultiversXSignRequest, 'signer'>): PreparedMultiversXTransaction {
  const { wallet, network, address } = resolveEd25519Wallet(request, 'EGLD');
  const { chainId, label } = getFamilyChain('multiversx', 'EGLD', network).params;
  const nonce = wholeNumberOption(request.options?.nonce, 'options.nonce', 'the account nonce');
  const fields = parseEgldPayload(request.unsigned, nonce);
  if (fields.chainID !== undefined && fields.chainID !== chainId) {
    refuse('CHAIN_MISMATCH', 'chainID', `is ${JSON.stringify(fields.chainID)}, not "${chainId}" (${label})`);
  }
  if (fields.sender !== address)
    refuse('SENDER_NOT_OURS', 'sender', `is ${fields.sender}, not the wallet ${address}`);
  const receiver = validateAddress('EGLD', network, fields.receiver);
  if (!receiver.valid) refuse('MALFORMED_TRANSACTION', 'receiver', receiver.reason);
  if (!SIGNABLE_VERSIONS.has(fields.version))
    refuse('UNSUPPORTED_TRANSACTION', 'version', `${fields.version} is not 1 or 2`);
  if (fields.options !== 0)
    refuse('UNSUPPORTED_TRANSACTION', 'options', 'guardian and hash-signing options are not signed');
  const fee = fields.gasLimit * fields.gasPrice;
  const maxFee = feeCapOption(
    request.options?.maxFeeAtomic,
    DEFAULT_MAX_FEE_ATOMIC,
    'options.maxFeeAtomic',
    'atomic units',
  );
  if (fee > maxFee)
    refuse('FEE_TOO_HIGH', 'gasLimit', `gasLimit × gasPrice = ${fee} is above the cap of ${maxFee}`);
  const movement = readEgldTransfers(fields.value, fields.data, receiver.normalized);
  const transaction = buildTransaction({ ...fields, chainID: chainId, receiver: receiver.normalized });
  const computer = new TransactionComputer();
  const message = computer.computeBytesForSigning(transaction);
  if (message.length > MAX_SIGN_MESSAGE_BYTES) {
    refuse(
      'MALFORMED_TRANSACTION',
      'data',
      `the message to sign is ${message.length} bytes; KMS signs at most ${MAX_SIGN_MESSAGE_BYTES}`,
    );
  }
  const digests = [{ keyId: wallet.keyId, digest: Buffer.from(message).toString('hex'), inputIndex: 0 }];
  return {
    chain: 'EGLD',
    network,
    ...movement,
    fee,
    nonce: fields.nonce,
    digests,
    async sign(signer: MessageSigner): Promise<SignedTransaction> {
      const { signature } = await signer.signMessage(wallet.keyId, message, wallet.publicKey);
      transaction.signature = signature;
      const signed = JSON.stringify(transaction.toSendable());
      await assertSignedBy(signed, message, address);
      const txId = Buffer.from(computer.computeTransactionHash(transaction)).toString('hex');
      return { chain: 'EGLD', network, signed, txId, digests: digests.map((d) => ({ ...d })) };
    },
  };
}

/** prepareMultiversXTransaction, then one KMS Sign call. */
export async function signMultiversXTransaction(request: MultiversXSignRequest): Promise<SignedTransaction> {
  return (await prepareMultiversXTransaction(request)).sign(request.signer);
}

function buildTransaction(fields: EgldFields & { chainID: string }): Transaction {
  return new Transaction({
    nonce: fields.nonce,
    value: fields.value,
    sender: Address.newFromBech32(fields.sender),
    receiver: Address.newFromBech32(fields.receiver),
    gasPrice: fields.gasPrice,
    gasLimit: fields.gasLimit,
    data: fields.data,
    chainID: fields.chainID,
    version: fields.version,
  });
}

/**
 * The JSON that goes to the network, decoded by the SDK: it must serialise to the message we signed,
 * and the SDK's verifier for the sender's address must accept its signature.
 */
async function assertSignedBy(signed: string, message: Uint8Array, sender: string): Promise<void> {
  const decoded = Transaction.newFromPlainObject(
    JSON.parse(signed) as Parameters<typeof Transaction.newFromPlainObject>[0],
  );
  const computer = new TransactionComputer();
  const again = computer.computeBytesForVerifying(decoded);
  const verified = await UserVerifier.fromAddress(Address.newFromBech32(sender)).verify(
    again,
    decoded.signature,
  );
  if (!Buffer.from(again).equals(Buffer.from(message)) || decoded.sender.toBech32() !== sender || !verified) {
    throw new Error('signed EGLD transaction does not carry a valid wallet signature over its message');
  }
}
