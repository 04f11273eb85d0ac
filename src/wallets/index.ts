// The wallet domain: createWalletService() is the one implementation of contract.ts.
export * from './contract.js';
export {
  createWalletService,
  flowNodeFrom,
  type KmsWalletService,
  type WalletServiceDeps,
} from './service.js';
export type { WalletHooks } from './context.js';
export { ALLOWED_TOKENS, allowedAssets, canonicalAsset } from './assets.js';
export { KEY_MONTHLY_COST_USD } from './queries.js';
export { TAG_ASSET, TAG_KEY_INDEX, TAG_NETWORK, TAG_USER_ID } from './kms-scan.js';
export { MAX_BATCH, MAX_INDEX } from './validation.js';
