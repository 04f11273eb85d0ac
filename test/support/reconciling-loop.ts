// The loop the crash tests (final audit records, failure reports) drive: a testnet EVM_DEV loop on the
// test's wallets and the sandbox that completes payloads from a node and reconciles every pass.
import type { TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { ChainViews } from '../../src/chain-view/index.js';
import { SigningLoop, type SigningLoopOptions } from '../../src/tatum/loop.js';
import { countingSigner, evmDevLoopOptions } from './evm-loop.js';
import type { WalletTestEnv } from './wallets.js';

/** Completes payloads from the node at `rpcUrl`; its KMS signatures are not counted. */
export function reconcilingEvmDevLoop(
  env: Pick<WalletTestEnv, 'db' | 'service' | 'vault'>,
  sandbox: TatumSandbox,
  rpcUrl: string,
  over: Partial<SigningLoopOptions> = {},
): SigningLoop {
  return new SigningLoop({
    ...evmDevLoopOptions(
      env,
      sandbox,
      countingSigner(
        () => env.vault,
        () => undefined,
      ),
    ),
    chainViews: new ChainViews({ network: 'testnet', env: { KMS_SIGNER_RPC_EVM_DEV: rpcUrl }, retries: 0 }),
    reconcileEveryMs: 0,
    ...over,
  });
}
