/**
 * Flow signing with one secp256k1 KMS key per wallet: an FCL voucher (Cadence, arguments, reference block,
 * proposal key, payer, authorizers, signatures so far), the wallet's chain-assigned account and key index,
 * the digest of Flow's domain-tagged RLP message with the account key's hash algorithm (SHA2-256 or
 * SHA3-256), r‖s appended as a payload signature (we authorize) or the envelope signature (we also pay).
 */
export {
  DEFAULT_MAX_COMPUTE_LIMIT,
  prepareFlowTransaction,
  signFlowTransaction,
  type FlowAccountKey,
  type FlowSignOptions,
  type FlowSignRequest,
} from './sign.js';
export {
  flowDigest,
  flowEnvelopeMessage,
  flowPayloadMessage,
  flowTransactionId,
  type FlowHashAlgorithm,
} from './messages.js';
export { decodeFlowTransfer, flowTransferCadence, formatUFix64, parseUFix64 } from './transfer.js';
export {
  parseFlowVoucher,
  type FlowArgument,
  type FlowVoucher,
  type FlowVoucherSignature,
} from './voucher.js';
