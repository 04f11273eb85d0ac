// The sandbox's stand-in for Tatum's node gateway: the JSON-RPC paths tatum-kms uses under the API base
// (../shared/reference/tatum-protocol.md §2.8) — `/v3/{ethereum|bsc|polygon}/web3/{apiKey}` and
// `/v3/blockchain/node/{CHAIN}/{apiKey}` — forwarded to the local nodes: anvil for the EVM chains,
// btcd for the Bitcoin family. As on Tatum, the request also carries the key in `x-api-key` (checked by
// the sandbox's middleware for every route) and a key in the path that is not the sandbox's is refused.
// The node's answer is passed through unchanged (status and body), so the chain view sees what a node says;
// an unreachable node is a 502 JSON-RPC error that echoes the request path, key included, as proxies do.
import type { Hono } from 'hono';
import type { BtcRpcEndpoint } from '../stack/btc-rpc.js';

export interface NodeGatewayOptions {
  apiKey: string;
  evmRpcUrl?: string;
  btcRpc?: BtcRpcEndpoint;
}

const WEB3_PATHS = new Set(['ethereum', 'bsc', 'polygon']);
const EVM_CHAINS = new Set(['ETH', 'BSC', 'MATIC', 'EVM_DEV']);
const BITCOIN_CHAINS = new Set(['BTC', 'LTC', 'DOGE', 'BCH']);

interface Upstream {
  url: string;
  headers: Record<string, string>;
}

/** Mounts the gateway routes on the sandbox's app. */
export function mountNodeGateway(app: Hono, options: NodeGatewayOptions): void {
  const evm = (): Upstream | undefined =>
    options.evmRpcUrl === undefined ? undefined : { url: options.evmRpcUrl, headers: {} };
  const bitcoin = (): Upstream | undefined => {
    const btc = options.btcRpc;
    if (btc === undefined) return undefined;
    const basic = Buffer.from(`${btc.user}:${btc.pass}`).toString('base64');
    return { url: btc.url, headers: { authorization: `Basic ${basic}` } };
  };
  const forward = async (path: string, key: string, upstream: Upstream | undefined, body: string) => {
    if (key !== options.apiKey) {
      return Response.json(
        { statusCode: 403, errorCode: 'apikey.invalid', message: 'Invalid API key in the path.' },
        { status: 403 },
      );
    }
    if (upstream === undefined) {
      return Response.json({ statusCode: 404, message: 'sandbox: no node for this chain' }, { status: 404 });
    }
    let reply: Response;
    try {
      reply = await fetch(upstream.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...upstream.headers },
        body,
        signal: AbortSignal.timeout(30_000),
      });
    } catch {
      // Like many proxies, the answer names the request path — key included: what the client must redact.
      const error = { code: -32603, message: `upstream node unreachable for POST ${path}` };
      return Response.json({ jsonrpc: '2.0', id: null, error }, { status: 502 });
    }
    return new Response(await reply.text(), {
      status: reply.status,
      headers: { 'content-type': 'application/json' },
    });
  };

  app.post('/v3/:chain/web3/:key', async (c) => {
    const upstream = WEB3_PATHS.has(c.req.param('chain')) ? evm() : undefined;
    return forward(c.req.path, c.req.param('key'), upstream, await c.req.text());
  });
  app.post('/v3/blockchain/node/:chain/:key', async (c) => {
    const chain = c.req.param('chain');
    const upstream = EVM_CHAINS.has(chain) ? evm() : BITCOIN_CHAINS.has(chain) ? bitcoin() : undefined;
    return forward(c.req.path, c.req.param('key'), upstream, await c.req.text());
  });
}
