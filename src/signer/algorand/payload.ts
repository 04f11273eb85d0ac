// Tatum's ALGO payload is not msgpack: `serializedTransaction` is `JSON.stringify(txn)` of an algosdk 1.x
// Transaction object (tatum-js v1 src/transaction/algo.ts, prepareAlgoSignedTransaction and the ASA / NFT
// builders return `JSON.stringify(txn)` when given a signatureId; the v1 package pins algosdk 1.16.0).
// tatum-kms signs it with v1 `signAlgoKMSTransaction`, which rebuilds an algosdk Transaction from that
// JSON. As algosdk 1.16 serialises it, byte fields are Uint8Array JSON ({"0": 84, "1": 88, …}) or Buffer
// JSON ({"type": "Buffer", "data": […]}) and addresses are {publicKey, checksum}. This module reads that
// JSON strictly into plain fields; sign.ts re-encodes them with algosdk 3 and checks every one.
import { createHash } from 'node:crypto';
import { refuse } from '../types.js';

export interface AlgorandPayloadFields {
  type: string;
  sender: Uint8Array;
  receiver: Uint8Array;
  amount: bigint;
  fee: bigint;
  firstRound: bigint;
  lastRound: bigint;
  genesisId: string;
  genesisHash: Uint8Array;
  note: Uint8Array;
  /** ASA id for `axfer`; undefined for `pay`. */
  assetIndex: bigint | undefined;
}

/** Fields algosdk 1.16 writes for a pay / axfer transaction that carry nothing beyond the fields above. */
const PLAIN_FIELDS = new Set([
  'name',
  'tag',
  'type',
  'from',
  'to',
  'amount',
  'fee',
  'flatFee',
  'firstRound',
  'lastRound',
  'genesisID',
  'genesisHash',
  'note',
  'lease',
  'appArgs',
  'assetIndex',
]);

/** Fields that would hand the account or its balance to someone else: refused by name. */
const REFUSED_FIELDS: Readonly<Record<string, string>> = {
  reKeyTo: 'rekeys the account to another key (rekey-to)',
  closeRemainderTo: 'closes the account or the asset holding to another address (close-to)',
  assetRevocationTarget: 'claws an asset back from another account (clawback)',
  group: 'belongs to an atomic group, whose other transactions are not shown',
};

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Bytes from Uint8Array JSON ({"0": b0, …}) or Buffer JSON ({"type": "Buffer", "data": […]}). */
export function jsonBytes(value: unknown, field: string): Uint8Array {
  let list: unknown[] | undefined;
  if (
    isObject(value) &&
    value.type === 'Buffer' &&
    Array.isArray(value.data) &&
    Object.keys(value).length === 2
  ) {
    list = value.data;
  } else if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.every((k, i) => k === String(i))) list = keys.map((k) => value[k]);
  }
  if (
    list === undefined ||
    !list.every((b) => Number.isInteger(b) && (b as number) >= 0 && (b as number) <= 255)
  ) {
    refuse('MALFORMED_TRANSACTION', field, 'is not serialised bytes (Uint8Array or Buffer JSON)');
  }
  return Uint8Array.from(list as number[]);
}

/** A 32-byte key whose 4-byte checksum (last bytes of SHA-512/256 of the key) matches. */
function jsonAddress(value: unknown, field: string): Uint8Array {
  if (!isObject(value)) refuse('MALFORMED_TRANSACTION', field, 'must be an address {publicKey, checksum}');
  const publicKey = jsonBytes(value.publicKey, `${field}.publicKey`);
  const checksum = jsonBytes(value.checksum, `${field}.checksum`);
  const expected = createHash('sha512-256').update(publicKey).digest().subarray(28);
  if (publicKey.length !== 32 || !Buffer.from(checksum).equals(expected) || Object.keys(value).length !== 2) {
    refuse('MALFORMED_TRANSACTION', field, 'is not a 32-byte public key with its Algorand checksum');
  }
  return publicKey;
}

function integer(value: unknown, field: string, min: number): bigint {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    refuse('MALFORMED_TRANSACTION', field, `must be an integer ≥ ${min} (within JSON's exact range)`);
  }
  return BigInt(value);
}

function parseJson(unsigned: string | object): Json {
  let payload: unknown = unsigned;
  if (typeof unsigned === 'string') {
    try {
      payload = JSON.parse(unsigned);
    } catch {
      refuse('MALFORMED_TRANSACTION', 'serializedTransaction', 'is not the JSON of an algosdk Transaction');
    }
  }
  if (!isObject(payload)) refuse('MALFORMED_TRANSACTION', 'serializedTransaction', 'must be a JSON object');
  return payload;
}

function checkShape(payload: Json): void {
  for (const [key, value] of Object.entries(payload)) {
    const refused = REFUSED_FIELDS[key];
    if (refused !== undefined && value !== undefined && value !== null) {
      refuse('UNSUPPORTED_TRANSACTION', key, `${refused}; never signed`);
    }
    if (refused === undefined && !PLAIN_FIELDS.has(key)) {
      refuse('MALFORMED_TRANSACTION', key, "is not a field of Tatum's ALGO pay / axfer payload");
    }
  }
  if (payload.name !== undefined && payload.name !== 'Transaction') {
    refuse('MALFORMED_TRANSACTION', 'name', 'must be "Transaction"');
  }
  if (payload.tag !== undefined && Buffer.from(jsonBytes(payload.tag, 'tag')).toString() !== 'TX') {
    refuse('MALFORMED_TRANSACTION', 'tag', 'must be "TX"');
  }
  if (payload.flatFee !== undefined && typeof payload.flatFee !== 'boolean') {
    refuse('MALFORMED_TRANSACTION', 'flatFee', 'must be a boolean');
  }
  if (payload.appArgs !== undefined && !(Array.isArray(payload.appArgs) && payload.appArgs.length === 0)) {
    refuse('UNSUPPORTED_TRANSACTION', 'appArgs', 'application arguments belong to application calls');
  }
  // tatum-kms drops the lease before signing (the signer sets it undefined); refused rather than altered.
  if (payload.lease !== undefined && jsonBytes(payload.lease, 'lease').length !== 0) {
    refuse('UNSUPPORTED_TRANSACTION', 'lease', 'leases are not signed');
  }
}

/** The fields of Tatum's ALGO payload; throws SigningRefusedError with the offending field. */
export function parseAlgorandPayload(unsigned: string | object): AlgorandPayloadFields {
  const payload = parseJson(unsigned);
  checkShape(payload);
  const { type } = payload;
  if (type !== 'pay' && type !== 'axfer') {
    refuse('UNSUPPORTED_TRANSACTION', 'type', `is ${JSON.stringify(type)}; only pay and axfer are signed`);
  }
  if (type === 'pay' && payload.assetIndex !== undefined) {
    refuse('MALFORMED_TRANSACTION', 'assetIndex', 'a pay transaction names no asset');
  }
  if (typeof payload.genesisID !== 'string') refuse('MALFORMED_TRANSACTION', 'genesisID', 'must be a string');
  return {
    type,
    sender: jsonAddress(payload.from, 'from'),
    receiver: jsonAddress(payload.to, 'to'),
    amount: integer(payload.amount, 'amount', 1),
    fee: integer(payload.fee, 'fee', 0),
    firstRound: integer(payload.firstRound, 'firstRound', 1),
    lastRound: integer(payload.lastRound, 'lastRound', 1),
    genesisId: payload.genesisID,
    genesisHash: jsonBytes(payload.genesisHash, 'genesisHash'),
    note: payload.note === undefined ? new Uint8Array() : jsonBytes(payload.note, 'note'),
    assetIndex: type === 'axfer' ? integer(payload.assetIndex, 'assetIndex', 1) : undefined,
  };
}
