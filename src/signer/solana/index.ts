/**
 * Solana signer: Tatum's SOL payload (`{"txData": "<hex legacy message>"}`) signed with one Ed25519 KMS
 * wallet key (ECC_NIST_EDWARDS25519, ED25519_SHA_512 + RAW). Native SOL transfers only; the wallet must be
 * the fee payer and the only signer. The payload's placeholder blockhash is replaced by a fresh one.
 */
export {
  prepareSolanaTransaction,
  readSolanaPayloadTransfers,
  signSolanaTransaction,
  type PreparedSolanaTransaction,
  type SolanaRecentBlockhash,
  type SolanaSignRequest,
} from './sign.js';
export { LAMPORTS_PER_SIGNATURE } from './transfers.js';
export { MAX_TRANSACTION_BYTES } from './message.js';
