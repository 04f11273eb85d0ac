export * from './client.js';
export * from './errors.js';
export * from './rate-limiter.js';
export * from './retry.js';
export * from './sign-quota.js';
export * from './vault.js';
export * from './key-specs.js';
