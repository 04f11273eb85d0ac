// A JSON-RPC 2.0 (and btcd/bitcoind 1.0) client for the chain view: a timeout per attempt, retries with
// backoff for what may pass (network errors, timeouts, 5xx, 429), every answer validated by a schema, and
// every secret of the endpoint scrubbed from errors. A node's own error object is not retried.
import * as z from 'zod';
import { redact } from '../config/index.js';
import { ChainUnavailableError, JsonRpcError } from './errors.js';
import type { RpcEndpoint } from './endpoint.js';

export interface JsonRpcOptions {
  /** e.g. "ETH mainnet node", for messages. */
  label: string;
  timeoutMs?: number;
  retries?: number;
  retryDelayMs?: number;
  fetch?: typeof fetch;
}

const replySchema = z.object({
  result: z.unknown().optional(),
  // `data` is optional in JSON-RPC 2.0 (most node errors have none); zod 4 requires a bare unknown() key.
  error: z
    .object({ code: z.number().optional(), message: z.string().optional(), data: z.unknown().optional() })
    .nullish(),
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class JsonRpcClient {
  private nextId = 1;

  constructor(
    private readonly endpoint: () => Promise<RpcEndpoint>,
    private readonly options: JsonRpcOptions,
  ) {}

  async call<T>(method: string, params: readonly unknown[], schema: z.ZodType<T>): Promise<T> {
    const endpoint = await this.endpoint();
    const retries = this.options.retries ?? 2;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(endpoint, method, params, schema);
      } catch (error) {
        if (!(error instanceof ChainUnavailableError) || attempt >= retries) throw error;
        await sleep(Math.min(5_000, (this.options.retryDelayMs ?? 250) * 2 ** attempt));
      }
    }
  }

  private async attempt<T>(
    endpoint: RpcEndpoint,
    method: string,
    params: readonly unknown[],
    schema: z.ZodType<T>,
  ): Promise<T> {
    const scrub = (text: string) => redact(text, endpoint.secrets);
    const what = `${this.options.label} ${method}`;
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(endpoint.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...endpoint.headers },
        body: JSON.stringify({ jsonrpc: '2.0', id: this.nextId++, method, params }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason =
        error instanceof Error && error.name === 'TimeoutError'
          ? `timed out after ${timeoutMs} ms`
          : 'unreachable';
      throw new ChainUnavailableError(scrub(`${what}: ${reason}`));
    }
    const text = await response.text().catch(() => '');
    let reply: z.infer<typeof replySchema>;
    try {
      reply = replySchema.parse(JSON.parse(text));
    } catch {
      // btcd answers RPC errors with HTTP 500 and a JSON body; anything else without JSON is an outage.
      throw new ChainUnavailableError(scrub(`${what}: HTTP ${response.status} without a JSON-RPC answer`));
    }
    if (reply.error) {
      throw new JsonRpcError(
        method,
        reply.error.code,
        scrub(reply.error.message ?? 'error'),
        reply.error.data,
      );
    }
    if (!response.ok) throw new ChainUnavailableError(scrub(`${what}: HTTP ${response.status}`));
    const parsed = schema.safeParse(reply.result);
    if (!parsed.success) {
      throw new ChainUnavailableError(
        scrub(`${what}: unexpected answer (${parsed.error.issues[0]?.message ?? 'invalid'})`),
      );
    }
    return parsed.data;
  }
}
