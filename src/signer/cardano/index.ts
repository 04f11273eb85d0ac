/**
 * Cardano signer: an unsigned transaction (or body) in hex CBOR, signed with one Ed25519 KMS wallet key
 * (ECC_NIST_EDWARDS25519, ED25519_SHA_512 + RAW) over blake2b-256 of the body. Plain payments only.
 */
export {
  DEFAULT_MAX_FEE_LOVELACE,
  prepareCardanoTransaction,
  signCardanoTransaction,
  type CardanoSignOptions,
  type CardanoSignRequest,
  type PreparedCardanoTransaction,
} from './sign.js';
export { MAX_TRANSACTION_BYTES as MAX_CARDANO_TRANSACTION_BYTES } from './payload.js';
