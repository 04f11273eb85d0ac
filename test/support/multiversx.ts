// MultiversX test helpers: Tatum's EGLD payload as tatum-js v1 egld.ts returns it for a signatureId
// ({from, to, value in EGLD, data as text, gasPrice, gasLimit}) and the gateway form of a transaction.
export interface TatumEgldSpec {
  from: string;
  to: string;
  value: string;
  data?: string;
  gasPrice?: number;
  gasLimit?: number;
}

export function tatumEgldPayload(spec: TatumEgldSpec, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ gasPrice: 1_000_000_000, gasLimit: 50_000, ...spec, ...extra });
}

export interface GatewayEgldSpec {
  nonce: number;
  value: string;
  sender: string;
  receiver: string;
  data?: string;
  gasPrice?: number;
  gasLimit?: number;
  chainID: string;
  version?: number;
  [field: string]: unknown;
}

/** An unsigned transaction as the gateway's /transaction/send takes it (data in base64). */
export function gatewayEgldPayload(spec: GatewayEgldSpec): string {
  const { data, ...rest } = spec;
  return JSON.stringify({
    gasPrice: 1_000_000_000,
    gasLimit: 50_000,
    version: 1,
    ...rest,
    ...(data === undefined ? {} : { data: Buffer.from(data).toString('base64') }),
  });
}
