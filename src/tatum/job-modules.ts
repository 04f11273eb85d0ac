// What a job loads on first need — its chain family's completion, FLOW's broadcast, SOL's blockhash-expiry
// proof, the bitcoin signer's error class — each loaded once per process and reused (a failed load is tried
// again). None of it is init code: the Lambda bundles load only the families of the jobs that run (issue 16).
import { onceUnlessFailed } from '../util/memo-retry.js';

export const jobModules = {
  /** EVM: gas, gas price and nonce from the chain view; its gap check is the EVM signer's decode (ethers). */
  evmCompletion: onceUnlessFailed(() => import('./complete-evm.js')),
  solCompletion: onceUnlessFailed(() => import('./complete-sol.js')),
  egldCompletion: onceUnlessFailed(() => import('./complete-egld.js')),
  /** viem's RLP and the Thor client. */
  vetCompletion: onceUnlessFailed(() => import('./complete-vet.js')),
  /** Flow's SDK encoders. */
  flowCompletion: onceUnlessFailed(() => import('./complete-flow.js')),
  flowBroadcast: onceUnlessFailed(() => import('./broadcast-flow.js')),
  flowSigner: onceUnlessFailed(() => import('../signer/flow/index.js')),
  bitcoinSigner: onceUnlessFailed(() => import('../signer/bitcoin/index.js')),
  solExpiryProof: onceUnlessFailed(() => import('./sol-expiry.js')),
};
