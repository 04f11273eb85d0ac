// TRON's protobuf codec for `protocol.Transaction.raw`, borrowed from tronweb's offline utilities: the same
// `txJsonToPb` that tronweb's `trx.sign` runs (through `txCheck`) before signing, so this signer accepts
// exactly what the reference signer would re-encode. Only these pure functions are used; no TronWeb
// instance is built, so no node is ever contacted.
//
// tronweb is loaded on first use: it weighs ~0.8 s at import and registers its generated protobuf classes
// on globalThis (`proto`, `TronWebProto`), which only processes that sign TRON need to pay for.

/** The slice of a google-protobuf `Transaction` message that we use. */
interface TransactionMessage {
  getRawData(): { serializeBinary(): Uint8Array };
}

/** What this module needs from `tronweb`'s `utils`, typed narrowly (tronweb types these as `any`). */
interface TronwebUtils {
  transaction: { txJsonToPb(transaction: unknown): TransactionMessage };
  deserializeTx: { deserializeTransaction(type: string, rawDataHex: string): unknown };
}

export interface TronRawDataCodec {
  /** `raw_data` JSON → `protocol.Transaction.raw` bytes. Throws on values the encoder cannot take. */
  encodeRawData(rawData: unknown, visible: boolean): Uint8Array;
  /** `raw_data_hex` → tronweb's JSON view of it (hex addresses, every field present). Throws on garbage. */
  decodeRawData(contractType: string, rawDataHex: string): unknown;
}

let loading: Promise<TronRawDataCodec> | undefined;

export function loadTronCodec(): Promise<TronRawDataCodec> {
  loading ??= import('tronweb').then(
    ({ utils }) => codecFrom(utils),
    (error: unknown) => {
      loading = undefined; // let a later call retry the import
      throw error;
    },
  );
  return loading;
}

function codecFrom(utils: TronwebUtils): TronRawDataCodec {
  return {
    encodeRawData(rawData, visible) {
      return utils.transaction.txJsonToPb({ visible, raw_data: rawData }).getRawData().serializeBinary();
    },
    decodeRawData(contractType, rawDataHex) {
      return utils.deserializeTx.deserializeTransaction(contractType, rawDataHex);
    },
  };
}
