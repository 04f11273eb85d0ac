// Tatum-style XLM payloads built the way tatum-js v2 xlm.tx.ts builds them (stellar-base's
// TransactionBuilder, fee 100 per operation, setTimeout(300), memo text or hash), returned as the
// base64 XDR of the unsigned envelope — Tatum's serializedTransaction.
import {
  Account,
  Asset,
  Keypair,
  Memo,
  Networks,
  Operation,
  TransactionBuilder,
  type xdr,
} from '@stellar/stellar-base';

export const XLM_TESTNET = Networks.TESTNET;

export interface XlmPayloadSpec {
  source: string;
  operations: xdr.Operation[];
  sequence?: string;
  fee?: string;
  memo?: Memo;
  timeoutSeconds?: number;
  networkPassphrase?: string;
}

export function tatumXlmPayload(spec: XlmPayloadSpec): string {
  const builder = new TransactionBuilder(new Account(spec.source, spec.sequence ?? '1000'), {
    fee: spec.fee ?? '100',
    networkPassphrase: spec.networkPassphrase ?? XLM_TESTNET,
    ...(spec.memo ? { memo: spec.memo } : {}),
  });
  if (spec.timeoutSeconds !== undefined) builder.setTimeout(spec.timeoutSeconds);
  for (const op of spec.operations) builder.addOperation(op);
  return builder.build().toEnvelope().toXDR().toString('base64');
}

export const xlmPayment = (destination: string, amount: string, asset: Asset = Asset.native()) =>
  Operation.payment({ destination, asset, amount });

export const randomStellarAddress = () => Keypair.random().publicKey();

export { Asset, Keypair, Memo, Networks, Operation };
