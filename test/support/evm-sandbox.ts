// The stand-ins an EVM_DEV loop test starts: its own wallet service, anvil's JSON-RPC and a Tatum sandbox
// that broadcasts to that anvil.
import { startTatumSandbox, type TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { EvmRpc } from './evm-rpc.js';
import { stackEndpoints } from './stack.js';
import { walletTestEnv, type WalletTestEnv } from './wallets.js';

export interface EvmSandboxStack {
  env: WalletTestEnv;
  sandbox: TatumSandbox;
  rpc: EvmRpc;
  close(): Promise<void>;
}

export async function startEvmSandboxStack(): Promise<EvmSandboxStack> {
  const env = await walletTestEnv();
  const { evmRpcUrl } = stackEndpoints();
  const sandbox = await startTatumSandbox({ evmRpcUrl });
  return {
    env,
    sandbox,
    rpc: new EvmRpc(evmRpcUrl),
    close: async () => {
      await sandbox.close();
      await env.close();
    },
  };
}
