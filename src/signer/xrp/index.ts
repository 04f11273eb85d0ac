/**
 * XRP Ledger signing with one KMS key per wallet: Tatum's autofilled rippled Payment JSON (XRP amounts in
 * drops, destination tag kept for policy), digest SHA-512Half over 0x53545800 ‖ canonical binary with
 * SigningPubKey, fully canonical (DER, low-S) signature, tx_blob in upper-case hex for /v3/xrp/broadcast.
 */
export {
  DEFAULT_MAX_FEE_DROPS,
  prepareXrpTransaction,
  signXrpTransaction,
  type XrpSignOptions,
  type XrpSignRequest,
} from './sign.js';
export { parseXrpPayment, xrpTransfers, type XrpPayment } from './payload.js';
