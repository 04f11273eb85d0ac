// Bitcoin-family signer (BTC, LTC, DOGE, BCH): PSBT, Tatum bitcore JSON and BCH "hex:[amounts]" payloads.
export { signBitcoinTransaction, type BitcoinSignRequest } from './sign.js';
export { prepareBitcoinTransaction, type BitcoinPrepareRequest, type BitcoinSignOptions } from './prepare.js';
export { detectFormat } from './detect.js';
export { DEFAULT_FEE_POLICIES, defaultFeeCap, type BitcoinChainId, type FeePolicy } from './fee-policy.js';
export type { BitcoinPayloadFormat } from './model.js';
export { SignedTransactionCheckError } from './verify.js';
export { PreviousTransactionsNeededError, type InputAmountProofOptions } from './prove-amounts.js';
