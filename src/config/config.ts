// The service's configuration, from environment variables (optionally merged over an env file).
// Every error names the variable and what is wrong with it, never the value: a MONGODB_URI carries a
// password, API_KEY_HASHES are credentials' fingerprints.
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import * as z from 'zod';
import { redact } from './redact.js';

export interface AppConfig {
  mongo: {
    /** Set when MONGODB_URI is given; otherwise read from Secrets Manager at start-up. */
    uri: string | undefined;
    /** MONGODB_URI_SECRET_ARN: a secret holding the connection string (see secrets.ts for formats). */
    uriSecretArn: string | undefined;
    dbName: string;
  };
  aws: {
    region: string;
    /** AWS_ENDPOINT_URL, e.g. LocalStack; undefined for the real service. */
    endpoint: string | undefined;
  };
  kms: {
    /**
     * Sign requests per second this process may send: KMS_SIGN_RATE when set, else its share of the
     * quota, KMS_SIGN_QUOTA / KMS_SIGN_RUNNERS. src/kms/sign-quota.ts may replace the quota with the
     * account's applied value read from Service Quotas (KMS_SIGN_QUOTA_CODE).
     */
    signRate: number;
    signQuota: SignQuotaConfig;
    /** CreateKey requests per second (the account quota is 5); also paces batches. */
    createKeyRate: number;
    /** KMS_MULTI_REGION_KEYS: new wallet keys are multi-Region primaries (README "Multi-Region recovery"). */
    multiRegionKeys: boolean;
    /** KMS_KEY_OWNER_ROLE_ARN: new keys get a key policy letting only this role tag them (key-ownership.ts). */
    keyOwnerRoleArn: string | undefined;
  };
  /** Value of the Application tag on every KMS key (IAM conditions and reconcile select keys by it). */
  application: string;
  /** SHA-256 hex digests (lower case) of the accepted API keys. */
  apiKeyHashes: string[];
  /** How long secrets read from Secrets Manager are cached in memory. */
  secretsCacheTtlMs: number;
  /**
   * BATCH_MAX_QUEUED_KEYS: keys one caller may have queued in unfinished batches (each key costs
   * $1/month in KMS). Default 1,000.
   */
  batchMaxQueuedKeys: number;
}

/** How the Sign rate of this process is derived (README "How runners share the KMS quota"). */
export interface SignQuotaConfig {
  /** KMS_SIGN_RATE was given: a fixed rate for this process, no share, no Service Quotas lookup. */
  rateOverride: boolean;
  /** KMS_SIGN_QUOTA: Sign requests/s for all runners together when Service Quotas is not read. */
  perSecond: number;
  /** KMS_SIGN_RUNNERS: how many processes share it (the CDK stack sets it). */
  runners: number;
  /** KMS_SIGN_QUOTA_CODE: Service Quotas code of the KMS ECC request-rate quota, to read its applied value. */
  quotaCode: string | undefined;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${redact(reason)}`);
    this.name = 'ConfigError';
  }
}

const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

const optional = (schema: z.ZodString) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());
const rate = (fallback: number) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? fallback : Number(v)),
    z.number({ error: 'must be a number' }).positive({ error: 'must be a positive number' }),
  );

/** $1,000/month of KMS keys at most from one caller's queued batches, unless raised. */
export const DEFAULT_BATCH_MAX_QUEUED_KEYS = 1_000;

const ENV_SCHEMA = z.object({
  MONGODB_URI: optional(
    z.string().regex(/^mongodb(\+srv)?:\/\/\S+$/, {
      error: 'must be a mongodb:// or mongodb+srv:// connection string',
    }),
  ),
  MONGODB_URI_SECRET_ARN: optional(
    z.string().regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, {
      error: 'must be a Secrets Manager secret ARN',
    }),
  ),
  MONGODB_DB: z
    .string()
    .regex(/^[^/\\. "$*<>:|?]{1,63}$/, {
      error: 'must be 1-63 characters without / \\ . space " $ * < > : | ?',
    })
    .default('kms-signer'),
  AWS_REGION: z.string({ error: 'is required' }).regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, {
    error: 'must be an AWS Region such as eu-west-1',
  }),
  AWS_ENDPOINT_URL: optional(z.string().regex(/^https?:\/\/\S+$/, { error: 'must be an http(s) URL' })),
  KMS_SIGN_RATE: z.preprocess(
    (v) => (v === undefined || v === '' ? undefined : Number(v)),
    z.number({ error: 'must be a number' }).positive({ error: 'must be a positive number' }).optional(),
  ),
  // AWS KMS request quotas: "Cryptographic operations (ECC and SM2) request rate" 1,000 (shared) per
  // account and Region (docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html).
  KMS_SIGN_QUOTA: rate(1000),
  KMS_SIGN_RUNNERS: z.preprocess(
    (v) => (v === undefined || v === '' ? 1 : Number(v)),
    z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).positive({
      error: 'must be at least 1',
    }),
  ),
  KMS_SIGN_QUOTA_CODE: optional(
    z.string().regex(/^L-[0-9A-F]{8}$/, { error: 'must be a Service Quotas quota code such as L-1A2B3C4D' }),
  ),
  KMS_CREATE_KEY_RATE: rate(5),
  KMS_MULTI_REGION_KEYS: z
    .enum(['true', 'false', '1', '0', ''], { error: 'must be true or false' })
    .default('false'),
  // The role whose key policy statement may tag each new key (src/kms/key-ownership.ts); set by the stack.
  KMS_KEY_OWNER_ROLE_ARN: optional(
    z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, { error: 'must be an IAM role ARN' }),
  ),
  APP_TAG: z
    .string()
    .regex(TAG_VALUE, {
      error: 'must be 1-256 characters of letters, digits, spaces and _ . : / = + - @',
    })
    .default('kms-signer'),
  API_KEY_HASHES: z.string().default(''),
  SECRETS_CACHE_TTL_SECONDS: rate(300),
  BATCH_MAX_QUEUED_KEYS: z.preprocess(
    (v) => (v === undefined || v === '' ? DEFAULT_BATCH_MAX_QUEUED_KEYS : Number(v)),
    z.int({ error: 'must be a whole number' }).positive({ error: 'must be a positive number' }),
  ),
});

export interface LoadConfigOptions {
  /** An env file (KEY=value lines) whose values apply where the environment has none. */
  envFile?: string;
}

/**
 * Reads the configuration from `env` (default process.env). The env file comes from
 * `options.envFile` (the CLI's --env-file) or KMS_SIGNER_ENV_FILE; variables set in `env` win over it.
 * Throws ConfigError naming the first offending variable.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  options: LoadConfigOptions = {},
): AppConfig {
  const envFile = options.envFile ?? blankToUndefined(env.KMS_SIGNER_ENV_FILE);
  const merged: Record<string, string | undefined> = envFile
    ? { ...readEnvFile(envFile), ...definedOnly(env) }
    : { ...env };
  merged.AWS_REGION ??= merged.AWS_DEFAULT_REGION;

  const parsed = ENV_SCHEMA.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = typeof issue?.path[0] === 'string' ? issue.path[0] : 'configuration';
    throw new ConfigError(variable, issue?.message ?? 'is invalid');
  }
  const vars = parsed.data;
  if ((vars.MONGODB_URI === undefined) === (vars.MONGODB_URI_SECRET_ARN === undefined)) {
    throw new ConfigError('MONGODB_URI', 'set exactly one of MONGODB_URI and MONGODB_URI_SECRET_ARN');
  }
  return {
    mongo: { uri: vars.MONGODB_URI, uriSecretArn: vars.MONGODB_URI_SECRET_ARN, dbName: vars.MONGODB_DB },
    aws: { region: vars.AWS_REGION, endpoint: vars.AWS_ENDPOINT_URL },
    kms: {
      signRate: vars.KMS_SIGN_RATE ?? vars.KMS_SIGN_QUOTA / vars.KMS_SIGN_RUNNERS,
      signQuota: {
        rateOverride: vars.KMS_SIGN_RATE !== undefined,
        perSecond: vars.KMS_SIGN_QUOTA,
        runners: vars.KMS_SIGN_RUNNERS,
        quotaCode: vars.KMS_SIGN_QUOTA_CODE,
      },
      createKeyRate: vars.KMS_CREATE_KEY_RATE,
      multiRegionKeys: vars.KMS_MULTI_REGION_KEYS === 'true' || vars.KMS_MULTI_REGION_KEYS === '1',
      keyOwnerRoleArn: vars.KMS_KEY_OWNER_ROLE_ARN,
    },
    application: vars.APP_TAG,
    apiKeyHashes: parseApiKeyHashes(vars.API_KEY_HASHES),
    secretsCacheTtlMs: vars.SECRETS_CACHE_TTL_SECONDS * 1000,
    batchMaxQueuedKeys: vars.BATCH_MAX_QUEUED_KEYS,
  };
}

function parseApiKeyHashes(value: string): string[] {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  entries.forEach((entry, i) => {
    if (!SHA256_HEX.test(entry)) {
      throw new ConfigError(
        'API_KEY_HASHES',
        `entry ${i + 1} is not a SHA-256 hex digest (64 hex characters); list hashes, never keys`,
      );
    }
  });
  return entries.map((entry) => entry.toLowerCase());
}

function readEnvFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError('KMS_SIGNER_ENV_FILE', `cannot read ${file} (${code})`);
  }
  return parseEnv(text) as Record<string, string>;
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
