// Realistic unsigned TRON transactions built OFFLINE with tronweb's own TransactionBuilder, the producer of
// Tatum's TRON payloads. Every call passes a block header (and txLocal for contract calls), which is what
// keeps tronweb from asking a node; the fullHost below is a closed loopback port that is never contacted.
import { createHash, randomBytes } from 'node:crypto';
import * as tiny from 'tiny-secp256k1';
import { Trx, TronWeb, utils } from 'tronweb';

const offline = new TronWeb({ fullHost: 'http://127.0.0.1:9' });

/** USDT's TRC-20 contract on TRON mainnet. */
export const USDT_CONTRACT = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
/** Two well-formed third-party addresses. */
export const RECIPIENT = 'TXLAQ63Xg1NAzckPwKHvzw7CSEmLMEqcdj';
export const STRANGER = 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8';

export interface BlockHeader {
  ref_block_bytes: string;
  ref_block_hash: string;
  expiration: number;
  timestamp: number;
}

/** The JSON shape tronweb builds and Tatum forwards, loosely typed so tests can tamper with it. */
export interface TronTxJson {
  visible: boolean;
  txID: string;
  raw_data: {
    contract: {
      parameter: { value: Record<string, unknown>; type_url: string };
      type: string;
      Permission_id?: number;
    }[];
    expiration: number;
    fee_limit?: number;
    [field: string]: unknown;
  };
  raw_data_hex: string;
  signature?: unknown[];
  [field: string]: unknown;
}

/** A fresh reference block, the transaction valid for `lifetimeMs` after `now`. */
export function blockHeader(now = Date.now(), lifetimeMs = 60_000): BlockHeader {
  return {
    ref_block_bytes: randomBytes(2).toString('hex'),
    ref_block_hash: randomBytes(8).toString('hex'),
    expiration: now + lifetimeMs,
    timestamp: now,
  };
}

const json = (transaction: unknown): TronTxJson => JSON.parse(JSON.stringify(transaction)) as TronTxJson;

/** TRX transfer (TransferContract), as `sendTrx` builds it. */
export async function trxTransfer(from: string, to: string, sun: number, header = blockHeader()) {
  return json(await offline.transactionBuilder.sendTrx(to, sun, from, { blockHeader: header }));
}

/** TRC-20 `transfer(address,uint256)` (TriggerSmartContract), as `triggerSmartContract` builds it. */
export async function trc20Transfer(
  from: string,
  to: string,
  units: bigint,
  { header = blockHeader(), token = USDT_CONTRACT, feeLimit = 100_000_000 } = {},
) {
  const { transaction } = await offline.transactionBuilder.triggerSmartContract(
    token,
    'transfer(address,uint256)',
    { feeLimit, txLocal: true, blockHeader: header },
    [
      { type: 'address', value: to },
      { type: 'uint256', value: units.toString() },
    ],
    from,
  );
  return json(transaction);
}

/** TRC-10 transfer (TransferAssetContract), as `sendToken` builds it. */
export async function trc10Transfer(from: string, to: string, units: number, tokenId = '1002000') {
  return json(
    await offline.transactionBuilder.sendToken(to, units, tokenId, from, { blockHeader: blockHeader() }),
  );
}

/** Stake 2.0 freeze (FreezeBalanceV2Contract); BANDWIDTH is left out of the JSON as the protobuf default. */
export async function freezeV2(from: string, sun: number, resource: 'BANDWIDTH' | 'ENERGY') {
  return json(
    await offline.transactionBuilder.freezeBalanceV2(sun, resource, from, { blockHeader: blockHeader() }),
  );
}

/** Stake 2.0 unfreeze (UnfreezeBalanceV2Contract). */
export async function unfreezeV2(from: string, sun: number, resource: 'BANDWIDTH' | 'ENERGY') {
  return json(
    await offline.transactionBuilder.unfreezeBalanceV2(sun, resource, from, { blockHeader: blockHeader() }),
  );
}

/** An account-creation transaction: a real contract type this signer does not support. */
export async function createAccount(from: string, account: string) {
  return json(await offline.transactionBuilder.createAccount(account, from, { blockHeader: blockHeader() }));
}

/** Re-derives raw_data_hex and txID from raw_data with tronweb, as a producer that lies consistently would. */
export function reencode(transaction: TronTxJson): TronTxJson {
  const pb = utils.transaction.txJsonToPb(transaction) as { getRawData(): { serializeBinary(): Uint8Array } };
  return withRawDataHex(transaction, Buffer.from(pb.getRawData().serializeBinary()).toString('hex'));
}

/** Replaces raw_data_hex and sets txID to its sha256, leaving raw_data as it is. */
export function withRawDataHex(transaction: TronTxJson, rawDataHex: string): TronTxJson {
  return {
    ...transaction,
    raw_data_hex: rawDataHex,
    txID: createHash('sha256').update(Buffer.from(rawDataHex, 'hex')).digest('hex'),
  };
}

export interface IndependentCheck {
  /** sha256(raw_data_hex), recomputed here with node:crypto. */
  digest: string;
  txID: string;
  signatures: number;
  /** tiny-secp256k1 strict (low-S) verification of r ‖ s against the wallet key and the digest. */
  verifies: boolean;
  /** tiny-secp256k1 recovery with v − 27, compared with the wallet key. */
  recoversWalletKey: boolean;
  recoveryId: number;
  /** tronweb's offline Trx.ecRecover: it re-runs txCheck, then ecrecovers the T… address. */
  tronwebSigner: string;
  /** tronweb's txCheck of the signed JSON (raw_data ↔ raw_data_hex ↔ txID). */
  tronwebTxCheck: boolean;
}

/** Checks a signed TRON transaction without any code from src/. */
export function checkIndependently(signedJson: string, walletPublicKey: Uint8Array): IndependentCheck {
  const signed = JSON.parse(signedJson) as TronTxJson & { signature: string[] };
  const digest = createHash('sha256').update(Buffer.from(signed.raw_data_hex, 'hex')).digest();
  const signature = signed.signature[0] ?? '';
  const compact = Buffer.from(signature.slice(0, 128), 'hex');
  const recoveryId = parseInt(signature.slice(128), 16) - 27;
  const recovered = attempt(() => tiny.recover(digest, compact, recoveryId as 0 | 1, true), null);
  return {
    digest: digest.toString('hex'),
    txID: signed.txID,
    signatures: signed.signature.length,
    verifies: attempt(() => tiny.verify(digest, walletPublicKey, compact, true), false),
    recoversWalletKey:
      recovered !== null && Buffer.from(recovered).equals(tiny.pointCompress(walletPublicKey, true)),
    recoveryId,
    tronwebSigner: attempt(
      () => String(Trx.ecRecover(signed as unknown as Parameters<typeof Trx.ecRecover>[0])),
      '',
    ),
    tronwebTxCheck: attempt(() => utils.transaction.txCheck(signed), false),
  };
}

/** A verifier that throws on garbage has not verified it. */
function attempt<T>(check: () => T, onThrow: T): T {
  try {
    return check();
  } catch {
    return onThrow;
  }
}
