// The Solana message: decoded and re-encoded with @solana/kit's codecs, so that what we sign is exactly
// what the runtime verifies (the signature covers the serialised message, docs.solana.com "Transactions").
import {
  type Address,
  getCompiledTransactionMessageDecoder,
  getCompiledTransactionMessageEncoder,
  isBlockhash,
} from '@solana/kit';
import { MAX_SIGN_MESSAGE_BYTES } from '../../kms/key-specs.js';
import { refuse } from '../types.js';

/** A legacy message as kit decodes it, with its lifetime token (the recent blockhash). */
export interface LegacyMessage {
  readonly version: 'legacy';
  readonly header: {
    readonly numSignerAccounts: number;
    readonly numReadonlySignerAccounts: number;
    readonly numReadonlyNonSignerAccounts: number;
  };
  readonly staticAccounts: readonly Address[];
  readonly instructions: readonly {
    readonly programAddressIndex: number;
    readonly accountIndices?: readonly number[];
    readonly data?: Uint8Array | { readonly length: number; readonly [i: number]: number };
  }[];
  readonly lifetimeToken: string;
}

/** Solana's packet limit for a whole transaction (PACKET_DATA_SIZE = 1280 - 48 bytes). */
export const MAX_TRANSACTION_BYTES = 1232;

/**
 * Decodes a compiled legacy message and proves it canonical: it must re-encode to the same bytes (no
 * trailing data, no alternative encodings). Versioned (v0) messages are refused: Tatum compiles legacy
 * messages, and lookup tables would hide accounts from the checks.
 */
export function decodeLegacyMessage(bytes: Uint8Array): LegacyMessage {
  // Checked before decoding: KMS signs at most 4,096 bytes, and a longer "message" is never Tatum's.
  if (bytes.length > MAX_SIGN_MESSAGE_BYTES) {
    refuse(
      'MALFORMED_TRANSACTION',
      'txData',
      `is ${bytes.length} bytes; KMS signs at most ${MAX_SIGN_MESSAGE_BYTES}`,
    );
  }
  let message;
  try {
    message = getCompiledTransactionMessageDecoder().decode(bytes);
  } catch (error) {
    refuse('MALFORMED_TRANSACTION', 'txData', `is not a Solana message (${(error as Error).message})`);
  }
  if (message.version !== 'legacy') {
    refuse(
      'UNSUPPORTED_TRANSACTION',
      'txData',
      `is a version ${String(message.version)} message; only legacy messages are signed`,
    );
  }
  const encoded = getCompiledTransactionMessageEncoder().encode(message);
  if (!Buffer.from(encoded).equals(Buffer.from(bytes))) {
    refuse(
      'MALFORMED_TRANSACTION',
      'txData',
      'is not a canonical Solana message (trailing or re-encoded bytes)',
    );
  }
  return message;
}

/** The same message with `blockhash` as its lifetime; this is what gets signed. */
export function encodeWithBlockhash(message: LegacyMessage, blockhash: string): Uint8Array {
  if (!isBlockhash(blockhash))
    refuse('INVALID_REQUEST', 'recentBlockhash.blockhash', 'is not a base58 32-byte blockhash');
  const encoder = getCompiledTransactionMessageEncoder();
  const fresh = { ...message, lifetimeToken: blockhash } as unknown as Parameters<typeof encoder.encode>[0];
  return Uint8Array.from(encoder.encode(fresh));
}
