// Tatum's SOL payload (tatum-js v2 packages/blockchain/solana: solana.tx.ts builds it, solana.kms.ts
// signs it): `serializedTransaction` is JSON `{"txData": "<hex>", "mintPK"?: "<hex>"}`, where txData is a
// compiled legacy Message (web3.js `compileMessage().serialize()`) whose recentBlockhash is a fixed
// placeholder that the signer replaces with a fresh one. mintPK is the secret key of a new NFT mint that
// would co-sign; signing with key material from the payload is refused (keys live in KMS only).
import { refuse } from '../types.js';

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const KNOWN_FIELDS = new Set(['txData', 'mintPK']);

/** The message bytes Tatum compiled; validated for shape only (message.ts decodes them). */
export function parseSolanaPayload(unsigned: string | object): Uint8Array {
  let payload: unknown = unsigned;
  if (typeof unsigned === 'string') {
    try {
      payload = JSON.parse(unsigned);
    } catch {
      refuse('MALFORMED_TRANSACTION', 'serializedTransaction', 'is not JSON {"txData": "<hex message>"}');
    }
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    refuse('MALFORMED_TRANSACTION', 'serializedTransaction', 'must be a JSON object with txData');
  }
  const fields = payload as Record<string, unknown>;
  if (fields.mintPK !== undefined) {
    refuse(
      'UNSUPPORTED_TRANSACTION',
      'mintPK',
      'the payload carries a second private key (an NFT mint); kms-signer signs only with KMS keys',
    );
  }
  for (const key of Object.keys(fields)) {
    if (!KNOWN_FIELDS.has(key)) refuse('MALFORMED_TRANSACTION', key, "is not a field of Tatum's SOL payload");
  }
  const { txData } = fields;
  if (typeof txData !== 'string' || !HEX.test(txData)) {
    refuse('MALFORMED_TRANSACTION', 'txData', 'must be the hex of a compiled Solana message');
  }
  return Uint8Array.from(Buffer.from(txData, 'hex'));
}
