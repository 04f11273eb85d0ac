// The EGLD payloads the signer accepts, parsed into one set of transaction fields.
//
// 1. Tatum's (tatum-kms src/signatures.ts, case Currency.EGLD → tatum-js v1 src/transaction/egld.ts
//    `signEgldKMSTransaction`): `serializedTransaction` is the JSON that `prepareSignedTransactionAbstraction`
//    returns for a signatureId — `{from, to, value, data?, gasPrice, gasLimit}` with `value` in EGLD (a
//    decimal, × 10^18 at signing) and `data` as plain text (base64 on the wire). tatum-js fetches the
//    nonce, chainID and version from Tatum's node when it signs; here the nonce comes from the caller
//    (options.nonce), the chainID from the registry and the version is 1 (erd_min_transaction_version).
// 2. A complete MultiversX transaction in the gateway's JSON form (`Transaction.toSendable()` of
//    @multiversx/sdk-core: nonce, value in atomic units, receiver, sender, gasPrice, gasLimit, data in
//    base64, chainID, version), unsigned.
import { refuse } from '../types.js';

export interface EgldFields {
  nonce: bigint;
  /** Atomic units (10^-18 EGLD). */
  value: bigint;
  sender: string;
  receiver: string;
  gasPrice: bigint;
  gasLimit: bigint;
  data: Uint8Array;
  chainID: string | undefined;
  version: number;
  options: number;
}

const TATUM_FIELDS = new Set(['from', 'to', 'value', 'data', 'gasPrice', 'gasLimit']);
const GATEWAY_FIELDS = new Set([
  'nonce',
  'value',
  'receiver',
  'sender',
  'gasPrice',
  'gasLimit',
  'data',
  'chainID',
  'version',
  'options',
]);
/** Fields of the gateway form that change who signs or pays, refused whenever present. */
const REFUSED_FIELDS = [
  'guardian',
  'guardianSignature',
  'relayer',
  'relayerSignature',
  'senderUsername',
  'receiverUsername',
];
const EGLD_DECIMALS = 18;

export function parseEgldPayload(unsigned: string | object, nonce: bigint | undefined): EgldFields {
  const fields = asObject(unsigned);
  if ('receiver' in fields || 'sender' in fields) return parseGatewayForm(fields);
  for (const key of Object.keys(fields)) {
    if (!TATUM_FIELDS.has(key))
      refuse('MALFORMED_TRANSACTION', key, "is not a field of Tatum's EGLD payload");
  }
  if (nonce === undefined) {
    refuse(
      'MISSING_INPUT_DATA',
      'options.nonce',
      "Tatum's EGLD payload has no nonce; the account's nonce from a node is needed",
    );
  }
  return {
    nonce,
    value: egldToAtomic(fields.value),
    sender: text(fields.from, 'from'),
    receiver: text(fields.to, 'to'),
    gasPrice: whole(fields.gasPrice, 'gasPrice'),
    gasLimit: whole(fields.gasLimit, 'gasLimit'),
    data:
      fields.data === undefined || fields.data === null
        ? new Uint8Array()
        : Buffer.from(text(fields.data, 'data'), 'utf8'),
    chainID: undefined,
    version: 1,
    options: 0,
  };
}

function parseGatewayForm(fields: Record<string, unknown>): EgldFields {
  if (fields.signature !== undefined)
    refuse('ALREADY_SIGNED', 'signature', 'the transaction is already signed');
  for (const key of REFUSED_FIELDS) {
    if (fields[key] !== undefined && fields[key] !== '') {
      refuse('UNSUPPORTED_TRANSACTION', key, 'guarded, relayed and username transactions are not signed');
    }
  }
  for (const key of Object.keys(fields)) {
    if (!GATEWAY_FIELDS.has(key) && !REFUSED_FIELDS.includes(key)) {
      refuse('MALFORMED_TRANSACTION', key, 'is not a field of a MultiversX transaction');
    }
  }
  const data = fields.data === undefined || fields.data === '' ? '' : text(fields.data, 'data');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0) {
    refuse('MALFORMED_TRANSACTION', 'data', 'must be base64');
  }
  return {
    nonce: whole(fields.nonce, 'nonce'),
    value: whole(fields.value, 'value'),
    sender: text(fields.sender, 'sender'),
    receiver: text(fields.receiver, 'receiver'),
    gasPrice: whole(fields.gasPrice, 'gasPrice'),
    gasLimit: whole(fields.gasLimit, 'gasLimit'),
    data: Uint8Array.from(Buffer.from(data, 'base64')),
    chainID: text(fields.chainID, 'chainID'),
    version: Number(whole(fields.version, 'version')),
    options: fields.options === undefined ? 0 : Number(whole(fields.options, 'options')),
  };
}

function asObject(unsigned: string | object): Record<string, unknown> {
  let payload: unknown = unsigned;
  if (typeof unsigned === 'string') {
    try {
      payload = JSON.parse(unsigned);
    } catch {
      refuse('MALFORMED_TRANSACTION', 'serializedTransaction', 'is not JSON');
    }
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    refuse('MALFORMED_TRANSACTION', 'serializedTransaction', 'must be a JSON object');
  }
  return payload as Record<string, unknown>;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0)
    refuse('MALFORMED_TRANSACTION', field, 'must be a non-empty string');
  return value;
}

/** A whole, non-negative number, given as a JSON number (safe integer) or a decimal string. */
function whole(value: unknown, field: string): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'string' && /^(0|[1-9][0-9]{0,38})$/.test(value)) return BigInt(value);
  return refuse('MALFORMED_TRANSACTION', field, 'must be a whole, non-negative number');
}

/** Tatum's EGLD amount (a decimal string or number of EGLD) in atomic units, exactly. */
function egldToAtomic(value: unknown): bigint {
  const decimal = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof decimal !== 'string' || !/^(0|[1-9][0-9]{0,20})(\.[0-9]+)?$/.test(decimal)) {
    refuse('MALFORMED_TRANSACTION', 'value', 'must be a non-negative decimal amount of EGLD');
  }
  const [units = '0', fraction = ''] = decimal.split('.');
  if (fraction.length > EGLD_DECIMALS) {
    refuse('MALFORMED_TRANSACTION', 'value', `has more than ${EGLD_DECIMALS} decimals`);
  }
  return BigInt(units + fraction.padEnd(EGLD_DECIMALS, '0'));
}
