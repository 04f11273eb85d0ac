/**
 * TRON signer: signs Tatum's TronWeb transaction JSON with one AWS KMS wallet key, after proving that the
 * txID is sha256(raw_data_hex) and that the raw_data JSON encodes to exactly raw_data_hex (tronweb 6's own
 * protobuf encoder, loaded lazily and used offline).
 */
export { signTronTransaction, type TronSignRequest } from './sign.js';
export { prepareTronTransaction, type TronPrepareRequest } from './prepare.js';
export type { TronSignOptions } from './policy.js';
export { SUPPORTED_CONTRACTS, type SupportedContractType } from './contracts.js';
