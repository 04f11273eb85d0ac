// The configuration as the CLI loads it (environment + --env-file, src/config) and as checkconfig
// lists it: connection strings without credentials or options, secrets never, only whether they are set.
import { ConfigError, loadConfig, type AppConfig } from '../config/index.js';
import { usageError } from './errors.js';
import type { CliEnv, ConfigSetting, ConfigSource } from './io.js';
import { maskUri } from './render.js';

export function loadCliConfig(env: CliEnv, source: ConfigSource): AppConfig {
  try {
    return loadConfig({ ...env }, source);
  } catch (err) {
    // loadConfig names the file by its variable; on the command line it came from --env-file.
    if (
      err instanceof ConfigError &&
      err.variable === 'KMS_SIGNER_ENV_FILE' &&
      source.envFile !== undefined
    ) {
      throw usageError('--env-file', err.message.slice('KMS_SIGNER_ENV_FILE: '.length));
    }
    throw err;
  }
}

export function describeConfig(env: CliEnv, source: ConfigSource): ConfigSetting[] {
  const config = loadCliConfig(env, source);
  const notSet = '(not set)';
  return [
    { name: 'env file', value: source.envFile ?? env.KMS_SIGNER_ENV_FILE ?? notSet },
    { name: 'MONGODB_URI', value: config.mongo.uri === undefined ? notSet : maskUri(config.mongo.uri) },
    { name: 'MONGODB_URI_SECRET_ARN', value: config.mongo.uriSecretArn ?? notSet },
    { name: 'MONGODB_DB', value: config.mongo.dbName },
    { name: 'AWS_REGION', value: config.aws.region },
    {
      name: 'AWS_ENDPOINT_URL',
      value: config.aws.endpoint === undefined ? '(not set: AWS endpoints)' : maskUri(config.aws.endpoint),
    },
    { name: 'AWS credentials', value: credentialSource(env) },
    { name: 'KMS Sign rate', value: signRateSummary(config.kms) },
    { name: 'KMS_CREATE_KEY_RATE', value: `${config.kms.createKeyRate}/s` },
    { name: 'APP_TAG', value: config.application },
    { name: 'API_KEY_HASHES', value: `${config.apiKeyHashes.length} (used by the HTTP API only)` },
  ];
}

/** Where the AWS SDK will find credentials; never the values. */
function credentialSource(env: CliEnv): string {
  if (present(env.AWS_ACCESS_KEY_ID)) {
    return `environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY${present(env.AWS_SESSION_TOKEN) ? ', AWS_SESSION_TOKEN' : ''}; values hidden)`;
  }
  if (present(env.AWS_PROFILE)) return `profile ${env.AWS_PROFILE ?? ''}`;
  if (present(env.AWS_WEB_IDENTITY_TOKEN_FILE)) return 'web identity (AWS_WEB_IDENTITY_TOKEN_FILE)';
  return 'default provider chain (SSO, shared files, container or instance role)';
}

function present(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

/** The configured Sign rate and where it comes from (the applied quota is read only at start-up). */
function signRateSummary(kms: AppConfig['kms']): string {
  const { rateOverride, perSecond, runners, quotaCode } = kms.signQuota;
  if (rateOverride) return `${kms.signRate}/s (KMS_SIGN_RATE)`;
  const lookup = quotaCode === undefined ? '' : `; applied value of kms/${quotaCode} read at start-up`;
  return `${kms.signRate}/s = KMS_SIGN_QUOTA ${perSecond}/s ÷ KMS_SIGN_RUNNERS ${runners}${lookup}`;
}
