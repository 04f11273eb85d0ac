// Tiny JSON-RPC 1.0 client for btcd (HTTP basic auth, no wallet RPCs exist in btcd). Shared by the
// stack launcher and the tests.

export interface BtcRpcEndpoint {
  url: string;
  user: string;
  pass: string;
}

export class BtcRpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number | undefined,
    message: string,
  ) {
    super(`btcd ${method}: ${message}${code === undefined ? '' : ` (code ${code})`}`);
    this.name = 'BtcRpcError';
  }
}

interface RpcReply {
  result?: unknown;
  error?: { code?: number; message?: string } | null;
}

/**
 * Calls `method` and returns its `result`. Pass a schema (anything with `parse`, e.g. a zod schema)
 * to validate and type the result; without one the result is returned unchecked as `T` (default unknown).
 */
export async function btcRpc<T = unknown>(
  endpoint: BtcRpcEndpoint,
  method: string,
  params: readonly unknown[] = [],
  schema?: { parse(value: unknown): T },
  timeoutMs = 30_000,
): Promise<T> {
  const response = await fetch(endpoint.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${endpoint.user}:${endpoint.pass}`).toString('base64')}`,
    },
    body: JSON.stringify({ jsonrpc: '1.0', id: method, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.status === 401) throw new BtcRpcError(method, undefined, 'HTTP 401, wrong RPC user/password');
  const text = await response.text();
  let reply: RpcReply;
  try {
    reply = JSON.parse(text) as RpcReply;
  } catch {
    throw new BtcRpcError(method, undefined, `HTTP ${response.status}: ${text.slice(0, 200)}`);
  }
  if (reply.error) throw new BtcRpcError(method, reply.error.code, reply.error.message ?? 'unknown error');
  return schema ? schema.parse(reply.result) : (reply.result as T);
}
