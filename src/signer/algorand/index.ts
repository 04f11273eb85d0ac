/**
 * Algorand signer: Tatum's ALGO payload (JSON of an algosdk 1.x pay / axfer Transaction) signed with one
 * Ed25519 KMS wallet key (ECC_NIST_EDWARDS25519, ED25519_SHA_512 + RAW over "TX" ‖ msgpack). No rekey,
 * close-to, clawback, lease or group; genesis id and hash must be the wallet network's.
 */
export {
  MAX_ALGO_FEE_MICROALGOS,
  prepareAlgorandTransaction,
  signAlgorandTransaction,
  type AlgorandPrepareRequest,
  type PreparedAlgorandTransaction,
} from './sign.js';
export { parseAlgorandPayload } from './payload.js';
