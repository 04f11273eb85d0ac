// anvil 1.7.1 (from npm) as the EVM JSON-RPC node: chain id 31337 for the stack, any other chain id
// (e.g. 42220 for CELO) for tests of one chain.
import { freePort } from './ports.js';
import { startNodeService, type ServiceContext, type StartedService } from './service.js';
import { tools } from './tools.js';

export const EVM_CHAIN_ID = 31337;

async function chainIdIs(url: string, expected: number): Promise<boolean> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    signal: AbortSignal.timeout(2_000),
  });
  const body = (await response.json()) as { result?: string };
  if (body.result === `0x${expected.toString(16)}`) return true;
  throw new Error(`eth_chainId returned ${String(body.result)}`);
}

export async function startAnvil(
  ctx: ServiceContext,
  chainId: number = EVM_CHAIN_ID,
): Promise<StartedService<string>> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const name = chainId === EVM_CHAIN_ID ? 'anvil' : `anvil-${chainId}`;
  const proc = await startNodeService(ctx, {
    name,
    command: tools.anvil,
    args: ['--host', '127.0.0.1', '--port', String(port), '--chain-id', String(chainId), '--silent'],
    ready: () => chainIdIs(url, chainId),
    timeoutMs: 30_000,
    intervalMs: 100,
  });
  return { endpoint: url, stop: () => proc.stop() };
}
