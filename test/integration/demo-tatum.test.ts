// The README's end-to-end demo as a test: wallets created through the HTTP API, funded on anvil and btcd,
// BTC, ETH and ERC-20 pending transactions queued in the Tatum sandbox, signed by the loop through KMS,
// broadcast and mined once two operators approved in the approvals console. The demo reuses this run's
// stand-ins through the endpoint variables.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { stackEndpoints } from '../support/stack.js';

function runDemo(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'scripts/demo-tatum.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, output });
    });
  });
}

describe('end-to-end demo (npm run demo)', () => {
  it('signs, broadcasts and mines BTC, ETH and ERC-20 pending transactions for API-created wallets', async () => {
    const endpoints = stackEndpoints();
    const { code, output } = await runDemo({
      ...process.env,
      AWS_ENDPOINT_URL: endpoints.awsEndpoint,
      MONGODB_URI: endpoints.mongoUri,
      EVM_RPC_URL: endpoints.evmRpcUrl,
      BTC_RPC_URL: endpoints.btcRpc.url,
      BTC_RPC_USER: endpoints.btcRpc.user,
      BTC_RPC_PASS: endpoints.btcRpc.pass,
      BTC_MINING_WIF: endpoints.btcMiningWif,
    });
    expect(output).toContain('OK: all 3 pending transactions signed through KMS, broadcast and mined');
    // Nothing is signed before two operators approved in the approvals console.
    expect(output.match(/^\s+[0-9a-f]{24}\s+(BTC|EVM_DEV)\s+WAITING$/gm)).toHaveLength(3);
    expect(output.match(/^\s+(alice|bob) approves [0-9a-f]{24} .* → HTTP 303$/gm)).toHaveLength(6);
    expect(output).toMatch(/BTC spend\s+BTC\s+[0-9a-f]{24}\s+BROADCAST/);
    expect(output).toMatch(/ERC-20 transfer\s+EVM_DEV\s+[0-9a-f]{24}\s+BROADCAST/);
    expect(code).toBe(0);
  }, 180_000);
});
