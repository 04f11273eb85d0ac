// Which signature the wallet's account key adds to a Flow transaction, and whether it may. Flow's rules
// (https://docs.onflow.org/concepts/transaction-signing/): the proposer and the authorizers sign the
// payload; the payer signs the envelope (payload + payload signatures) last, and an account that is the
// payer signs only the envelope, whatever other roles it has.
import { refuse } from '../types.js';
import type { FlowVoucher } from './voucher.js';

/** The chain account that holds the wallet's KMS public key, at `keyIndex`. */
export interface FlowAccountRef {
  address: string;
  keyIndex: number;
}

export type FlowSignatureKind = 'payload' | 'envelope';

/**
 * Checks the roles and the signatures already present; returns which signature we add. We sign only as
 * the one authorizer (a transaction we merely pay or propose for would spend our fee or sequence number
 * on someone else's script), with our registered key when we propose.
 */
export function flowSignatureKind(voucher: FlowVoucher, account: FlowAccountRef): FlowSignatureKind {
  const ours = account.address;
  if (!voucher.authorizers.includes(ours)) {
    refuse('SENDER_NOT_OURS', 'authorizers', `do not include the wallet's Flow account ${ours}`);
  }
  if (voucher.authorizers.length !== 1) {
    refuse(
      'UNSUPPORTED_TRANSACTION',
      'authorizers',
      'must be exactly the wallet account (single-authorizer transfers only)',
    );
  }
  if (voucher.proposalKey.address === ours && voucher.proposalKey.keyId !== account.keyIndex) {
    refuse(
      'SENDER_NOT_OURS',
      'proposalKey.keyId',
      `is ${voucher.proposalKey.keyId}; the wallet's key index is ${account.keyIndex}`,
    );
  }
  const signedByUs = [...voucher.payloadSigs, ...voucher.envelopeSigs].some((s) => s.address === ours);
  if (signedByUs) refuse('ALREADY_SIGNED', 'payloadSigs', `already hold a signature of ${ours}`);
  if (voucher.envelopeSigs.length > 0) {
    refuse(
      'ALREADY_SIGNED',
      'envelopeSigs',
      'must be empty: the payer signs last, over every payload signature',
    );
  }
  voucher.payloadSigs.forEach((sig, i) => {
    const signer = sig.address === voucher.proposalKey.address || voucher.authorizers.includes(sig.address);
    if (!signer || sig.address === voucher.payer) {
      refuse(
        'MALFORMED_TRANSACTION',
        `payloadSigs[${i}].address`,
        `${sig.address} is not a proposer or authorizer that is not the payer`,
      );
    }
  });
  if (voucher.payer !== ours) return 'payload';
  const proposer = voucher.proposalKey;
  const proposerSigned = voucher.payloadSigs.some(
    (s) => s.address === proposer.address && s.keyId === proposer.keyId,
  );
  if (proposer.address !== ours && !proposerSigned) {
    refuse(
      'MISSING_INPUT_DATA',
      'payloadSigs',
      `need the proposer's (${proposer.address} key ${proposer.keyId}) signature before the payer signs the envelope`,
    );
  }
  return 'envelope';
}
