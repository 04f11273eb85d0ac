// The bytes a Flow signature covers, computed by Flow's own JavaScript SDK (@onflow/sdk): the domain tag
// "FLOW-V0.0-transaction" right-padded to 32 bytes, then the RLP of the payload (payload signatures) or of
// [payload, payload signatures] (envelope signatures). The digest is that message hashed with the hash
// algorithm registered with the account key (SHA2-256 or SHA3-256; Flow accepts either with
// ECDSA_secp256k1 — Flow Go SDK README "Generating Keys", @onflow/util-encode-key docs).
import { sha256 } from '@noble/hashes/sha2.js';
import { sha3_256 } from '@noble/hashes/sha3.js';
import { encodeTransactionEnvelope, encodeTransactionPayload, encodeTxIdFromVoucher } from '@onflow/sdk';

import type { FlowVoucher } from './voucher.js';

export type FlowHashAlgorithm = 'SHA2_256' | 'SHA3_256';
export const FLOW_HASH_ALGORITHMS: readonly FlowHashAlgorithm[] = ['SHA2_256', 'SHA3_256'];

// The SDK declares these encoders over its FCL interaction type; at run time they read the voucher
// fields (cadence, arguments, refBlock, computeLimit, proposalKey, payer, authorizers, payloadSigs,
// envelopeSigs), which is the shape FlowVoucher has.
type SdkTransaction = Parameters<typeof encodeTransactionPayload>[0];
type SdkVoucher = Parameters<typeof encodeTxIdFromVoucher>[0];

/**
 * The voucher as the SDK's encoders need it: bare (un-0x-prefixed) addresses. The SDK (1.13.7
 * prepareEnvelope / prepareVoucher) collects the signer list from the addresses as given but looks each
 * signature's signer index up without 0x, so with 0x addresses every payload signature would be encoded
 * at signer index 0: a wrong envelope message and a wrong id once an authorizer other than the first
 * signer has signed. Found and checked against the Flow emulator (test/integration/signer-flow-emulator.test.ts).
 */
function sdkForm(voucher: FlowVoucher): SdkTransaction & SdkVoucher {
  const bare = (address: string): string => address.replace(/^0x/, '');
  const sigs = (list: FlowVoucher['payloadSigs']) => list.map((s) => ({ ...s, address: bare(s.address) }));
  const canonical: FlowVoucher = {
    ...voucher,
    proposalKey: { ...voucher.proposalKey, address: bare(voucher.proposalKey.address) },
    payer: bare(voucher.payer),
    authorizers: voucher.authorizers.map(bare),
    payloadSigs: sigs(voucher.payloadSigs),
    envelopeSigs: sigs(voucher.envelopeSigs),
  };
  return canonical as unknown as SdkTransaction & SdkVoucher;
}

/** Domain tag ‖ RLP(payload): what the proposer and non-paying authorizers sign. */
export function flowPayloadMessage(voucher: FlowVoucher): Uint8Array {
  return Buffer.from(encodeTransactionPayload(sdkForm(voucher)), 'hex');
}

/** Domain tag ‖ RLP([payload, payload signatures with signer indexes]): what the payer signs. */
export function flowEnvelopeMessage(voucher: FlowVoucher): Uint8Array {
  return Buffer.from(encodeTransactionEnvelope(sdkForm(voucher)), 'hex');
}

/** The Flow transaction id (SHA3-256 of the fully signed transaction), as the access node answers it. */
export function flowTransactionId(voucher: FlowVoucher): string {
  return encodeTxIdFromVoucher(sdkForm(voucher));
}

export function flowDigest(message: Uint8Array, algorithm: FlowHashAlgorithm): Uint8Array {
  return algorithm === 'SHA2_256' ? sha256(message) : sha3_256(message);
}
