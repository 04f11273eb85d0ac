/**
 * VeChain (VET) signing with one KMS key per wallet: Tatum's web3-style payload as a legacy Thor body with
 * one clause (chainTag from the registry, blockRef and gas completed from a node by the loop), signing hash
 * blake2b-256 of the unsigned RLP, 65-byte r ‖ s ‖ recovery signature with low S, and the signed RLP in
 * 0x hex for /v3/vet/broadcast — decoded back and its origin recovered by @vechain/sdk-core before release.
 */
export {
  DEFAULT_MAX_FEE_WEI,
  LEGACY_BASE_GAS_PRICE,
  prepareVetTransaction,
  signVetTransaction,
  vetFee,
  type VetSignOptions,
  type VetSignRequest,
} from './sign.js';
export {
  DEFAULT_EXPIRATION,
  MAX_EXPIRATION,
  parseVetPayload,
  vetTransfers,
  type VetBody,
  type VetPayload,
} from './payload.js';
