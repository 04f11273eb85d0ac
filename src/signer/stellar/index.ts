/**
 * Stellar signer: Tatum's XLM payload (base64 XDR of an unsigned v1 TransactionEnvelope) signed with one
 * Ed25519 KMS wallet key (ECC_NIST_EDWARDS25519, ED25519_SHA_512 + RAW over the 32-byte transaction
 * hash). Payments (native and credit assets) and createAccount from the wallet only.
 */
export {
  MAX_XLM_FEE_STROOPS,
  prepareStellarTransaction,
  signStellarTransaction,
  type PreparedStellarTransaction,
  type StellarPrepareRequest,
} from './sign.js';
