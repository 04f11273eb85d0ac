// One GET/POST to a node's REST API (VeChainThor's, a MultiversX gateway's): a timeout, the answer
// validated by a schema, every endpoint secret scrubbed from errors. Whatever goes wrong is a
// ChainUnavailableError: the job waits for the next pass, nothing is guessed.
import type { z } from 'zod';
import { redact } from '../config/index.js';
import type { RpcEndpoint } from './endpoint.js';
import { ChainUnavailableError, NodeNotFoundError } from './errors.js';

export interface RestCall<T> {
  endpoint: RpcEndpoint;
  /** e.g. "MultiversX devnet gateway", for messages. */
  label: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  schema: z.ZodType<T>;
  timeoutMs?: number;
}

export async function restRequest<T>(call: RestCall<T>): Promise<T> {
  const { endpoint, method, path, body } = call;
  const scrub = (text: string) => redact(text, endpoint.secrets);
  const what = `${call.label} ${method} ${path}`;
  let response: Response;
  try {
    response = await fetch(`${endpoint.url.replace(/\/+$/, '')}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...endpoint.headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(call.timeoutMs ?? 10_000),
    });
  } catch {
    throw new ChainUnavailableError(scrub(`${what}: unreachable or timed out`));
  }
  if (response.status === 404) throw new NodeNotFoundError(scrub(`${what}: HTTP 404`));
  if (!response.ok) throw new ChainUnavailableError(scrub(`${what}: HTTP ${response.status}`));
  const parsed = call.schema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new ChainUnavailableError(scrub(`${what}: unexpected answer`));
  return parsed.data;
}

/** A node reached through its REST API at one endpoint: the views of VeChainThor and Flow. */
export class RestNode {
  constructor(
    private readonly endpoint: () => Promise<RpcEndpoint>,
    protected readonly label: string,
    private readonly timeoutMs = 10_000,
  ) {}

  protected async request<T>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    schema: z.ZodType<T>,
  ): Promise<T> {
    const endpoint = await this.endpoint();
    return restRequest({
      endpoint,
      label: this.label,
      method,
      path,
      body,
      schema,
      timeoutMs: this.timeoutMs,
    });
  }
}
