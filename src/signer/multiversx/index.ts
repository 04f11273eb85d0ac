/**
 * MultiversX signer: Tatum's EGLD payload (or an unsigned gateway-form transaction) signed with one Ed25519
 * KMS wallet key (ECC_NIST_EDWARDS25519, ED25519_SHA_512 + RAW) over the SDK's canonical JSON message.
 * EGLD transfers and fungible ESDT transfers are decoded; other data is reported as unrecognized.
 */
export {
  DEFAULT_MAX_FEE_ATOMIC,
  prepareMultiversXTransaction,
  signMultiversXTransaction,
  type MultiversXSignOptions,
  type MultiversXSignRequest,
  type PreparedMultiversXTransaction,
} from './sign.js';
