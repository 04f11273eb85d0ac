// What the EVM loop tests share: a signer that records every KMS Sign call, and a fresh EVM_DEV wallet
// funded on anvil.
import type { KmsVault } from '../../src/kms/index.js';
import type { DigestSigner } from '../../src/signer/index.js';
import type { WalletService, WalletView } from '../../src/wallets/contract.js';
import type { TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import type { SigningLoopOptions } from '../../src/tatum/loop.js';
import type { EvmRpc } from './evm-rpc.js';
import { sandboxApi } from './sandbox-api.js';
import type { WalletTestEnv } from './wallets.js';

/** Signs through `vault`, telling `onSign` about every call first. */
export function countingSigner(
  vault: () => Pick<KmsVault, 'signDigest'>,
  onSign: (keyId: string, digest: Uint8Array) => void,
): DigestSigner {
  return {
    signDigest(keyId, digest, publicKey) {
      onSign(keyId, digest);
      return vault().signDigest(keyId, digest, publicKey);
    },
  };
}

/** The vault, counting the KMS Sign calls made through it. */
export function countedSigner(vault: () => Pick<KmsVault, 'signDigest'>): {
  signer: DigestSigner;
  calls: () => number;
} {
  let calls = 0;
  const signer = countingSigner(vault, () => (calls += 1));
  return { signer, calls: () => calls };
}

/** A new EVM_DEV testnet wallet of `userId` holding 1 ETH on anvil. */
export async function fundedEvmWallet(
  service: WalletService,
  rpc: EvmRpc,
  userId: string,
): Promise<WalletView> {
  const { wallet } = await service.createWallet({
    userId,
    chain: 'EVM_DEV',
    asset: 'ETH',
    network: 'testnet',
  });
  await rpc.setBalance(wallet.address, 10n ** 18n);
  return wallet;
}

/** The options every EVM_DEV loop test starts from: the test's wallets, the sandbox, a testnet pass. */
export function evmDevLoopOptions(
  env: Pick<WalletTestEnv, 'db' | 'service'>,
  sandbox: TatumSandbox,
  signer: DigestSigner,
): Pick<SigningLoopOptions, 'db' | 'api' | 'wallets' | 'signer' | 'chains' | 'network'> {
  return {
    db: env.db,
    api: sandboxApi(sandbox),
    wallets: env.service,
    signer,
    chains: ['EVM_DEV'],
    network: 'testnet',
  };
}
