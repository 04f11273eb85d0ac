// The trusted read-only view of MultiversX through a gateway's REST API (mx-chain-proxy-go; Tatum's
// `{api}/v3/egld/node/{apiKey}` forwards to one — tatum-js v1 src/transaction/egld.ts `egldGetConfig`
// reads `${v3/egld/node}/${apiKey}/network/config` there). Gateway answers are wrapped as
// `{data, error, code: "successful"}`: GET /network/config → data.config.erd_chain_id (checked once
// against the registry's chainID), GET /address/{bech32}/nonce → data.nonce, the account's next nonce
// as the chain knows it (transactions still in the mempool are not counted; the nonce ledger covers them).
import * as z from 'zod';
import type { RpcEndpoint } from './endpoint.js';
import { ChainUnavailableError } from './errors.js';
import { restRequest } from './rest.js';

const successful = <T extends z.ZodType>(data: T) => z.object({ data, code: z.literal('successful') });
const configSchema = successful(z.object({ config: z.object({ erd_chain_id: z.string() }) }));
const nonceSchema = successful(
  z.object({ nonce: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER) }),
);
const BECH32_ADDRESS = /^erd1[02-9ac-hj-np-z]{58}$/;

export class MultiversXChainView {
  private chainChecked: Promise<void> | undefined;

  constructor(
    private readonly endpoint: () => Promise<RpcEndpoint>,
    private readonly chainId: string,
    private readonly label: string,
    private readonly timeoutMs = 10_000,
  ) {}

  /** The gateway's erd_chain_id must be the registry's; asked once per process (again after a failure). */
  checkChainId(): Promise<void> {
    this.chainChecked ??= this.get('/network/config', configSchema).then(({ data }) => {
      if (data.config.erd_chain_id !== this.chainId) {
        throw new ChainUnavailableError(
          `${this.label}: chain id ${JSON.stringify(data.config.erd_chain_id)}, expected "${this.chainId}"`,
        );
      }
    });
    this.chainChecked.catch(() => {
      this.chainChecked = undefined;
    });
    return this.chainChecked;
  }

  /** The account's current nonce (the nonce its next transaction must carry, mempool aside). */
  async accountNonce(address: string): Promise<bigint> {
    if (!BECH32_ADDRESS.test(address)) throw new Error(`not a MultiversX address: ${address}`);
    await this.checkChainId();
    return BigInt((await this.get(`/address/${address}/nonce`, nonceSchema)).data.nonce);
  }

  private async get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const endpoint = await this.endpoint();
    return restRequest({
      endpoint,
      label: this.label,
      method: 'GET',
      path,
      schema,
      timeoutMs: this.timeoutMs,
    });
  }
}
