// A minimal JSON-RPC client for the local anvil node. It refuses any URL that is not on loopback, so
// a stray EVM_RPC_URL can never make a test talk to a real network.
import { z } from 'zod';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function assertLoopback(url: string): void {
  const { hostname } = new URL(url);
  if (!LOOPBACK_HOSTS.has(hostname) && !/^127\.\d+\.\d+\.\d+$/.test(hostname)) {
    throw new Error(`refusing to use ${hostname}: tests only talk to nodes on 127.0.0.1`);
  }
}

const envelope = z.union([
  z.object({ result: z.unknown() }),
  z.object({ error: z.object({ code: z.number(), message: z.string() }) }),
]);

export const hexQuantity = z
  .string()
  .regex(/^0x[0-9a-f]+$/i)
  .transform((hex) => BigInt(hex));
export const receiptSchema = z.object({
  transactionHash: z.string(),
  status: z.string(),
  from: z.string(),
  to: z.string().nullable(),
  contractAddress: z.string().nullable().optional(),
  gasUsed: hexQuantity,
  effectiveGasPrice: hexQuantity,
  logs: z.array(z.object({ address: z.string(), topics: z.array(z.string()), data: z.string() })),
});
export type Receipt = z.infer<typeof receiptSchema>;

export class EvmRpc {
  private id = 0;

  constructor(private readonly url: string) {
    assertLoopback(url);
  }

  async call<T>(method: string, params: unknown[], schema: z.ZodType<T>): Promise<T> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++this.id, method, params }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = envelope.parse(await response.json());
    if ('error' in body) throw new Error(`${method}: ${body.error.message} (${body.error.code})`);
    return schema.parse(body.result);
  }

  balance(address: string): Promise<bigint> {
    return this.call('eth_getBalance', [address, 'latest'], hexQuantity);
  }

  setBalance(address: string, wei: bigint): Promise<unknown> {
    return this.call('anvil_setBalance', [address, `0x${wei.toString(16)}`], z.unknown());
  }

  gasPrice(): Promise<bigint> {
    return this.call('eth_gasPrice', [], hexQuantity);
  }

  /** Broadcasts and waits (anvil automines) for the receipt. */
  async send(signedHex: string): Promise<Receipt> {
    const hash = await this.call('eth_sendRawTransaction', [signedHex], z.string());
    for (let attempt = 0; attempt < 50; attempt++) {
      const receipt = await this.call('eth_getTransactionReceipt', [hash], receiptSchema.nullable());
      if (receipt) return receipt;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no receipt for ${hash} after 5 s`);
  }
}
