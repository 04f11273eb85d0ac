// A secret setting given as a Secrets Manager ARN (e.g. FOUR_EYE_SECRET_ARN) instead of its value:
// the deployed functions receive only the ARN in their environment and read the value at start-up.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AppConfig } from './config.js';
import { ConfigError } from './config.js';
import { SecretCache } from './secrets.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * `env` with `name` filled from the secret behind `arnVariable` when only the ARN is set.
 * Both set is a configuration error (which one wins would be a guess); neither leaves `env` as it is.
 */
export async function withSecretFromArn(
  env: Env,
  name: string,
  arnVariable: string,
  aws: AppConfig['aws'],
  cache?: SecretCache,
): Promise<Record<string, string | undefined>> {
  const arn = env[arnVariable];
  if (arn === undefined || arn === '') return { ...env };
  if (env[name] !== undefined) throw new ConfigError(name, `set only one of ${name} and ${arnVariable}`);
  const secrets =
    cache ??
    new SecretCache({
      client: new SecretsManagerClient({
        region: aws.region,
        ...(aws.endpoint ? { endpoint: aws.endpoint } : {}),
      }),
      ttlMs: 0,
    });
  return { ...env, [name]: (await secrets.get(arn)).trim() };
}

const readIntoProcess = new Set<string>();

/**
 * Fills `process.env[name]` from the secret behind `arnVariable` (once per process), for code that reads
 * the environment itself — e.g. KMS_SIGNER_RPC_NODES, read wherever a chain view is made.
 */
export async function secretIntoProcessEnv(
  name: string,
  arnVariable: string,
  aws: AppConfig['aws'],
): Promise<void> {
  if (readIntoProcess.has(name)) return;
  const value = (await withSecretFromArn(process.env, name, arnVariable, aws))[name];
  if (value !== undefined) process.env[name] = value;
  readIntoProcess.add(name);
}
