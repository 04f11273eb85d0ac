export {
  ConfigError,
  loadConfig,
  type AppConfig,
  type LoadConfigOptions,
  type SignQuotaConfig,
} from './config.js';
export { hashApiKey, isAcceptedApiKey } from './api-keys.js';
export { redact, redactError } from './redact.js';
export { mongoUriFromSecret, SecretCache, type SecretCacheOptions } from './secrets.js';
