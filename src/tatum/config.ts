// Configuration of the Tatum signing loop, read from the environment with zod: where Tatum is, its API
// key (directly or from Secrets Manager) and the per-chain signing policy. Never logs the key.
import * as z from 'zod';
import { ConfigError } from '../config/index.js';
import { CHAIN_IDS, NETWORK_NAMES, type ChainId, type NetworkName } from '../chains/index.js';
import { DEFAULT_REPORT_RETRIES_AFTER_MS } from './give-up.js';
import { DEFAULT_WRITE_BATCHES_IN_FLIGHT, WRITE_BATCHES_IN_FLIGHT } from './jobs.js';

/**
 * Jobs in flight per pass. Little's law: to keep the default 300 Sign/s quota busy, jobs in flight must be
 * ≥ rate × time per job (≈ 100 ms with 20 ms KMS latency and the job store's writes), so ≥ 30; at 8 the
 * loop could not exceed ≈ 80 jobs/s (bench/results/throughput.md).
 */
export const DEFAULT_CONCURRENCY = 32;

const amount = z
  .string()
  .regex(/^\d+$/, 'an integer amount in base units (wei, satoshis, sun) as a decimal string')
  .transform((s) => BigInt(s));

const assetLimits = z.object({ perTransaction: amount.optional(), daily: amount.optional() }).strict();

/**
 * One chain's policy. Amounts are base units. `limits` is keyed by asset: "native" or a token contract
 * address (EVM 0x…, TRON T…). With `limits` set, a transfer of an asset not listed is denied.
 */
export const chainPolicySchema = z
  .object({
    allowedDestinations: z.array(z.string().min(1)).optional(),
    limits: z.record(z.string().min(1), assetLimits).optional(),
  })
  .strict();
export type ChainPolicy = z.infer<typeof chainPolicySchema>;

export const signingPolicySchema = z.partialRecord(z.enum(CHAIN_IDS), chainPolicySchema);
export type SigningPolicy = z.infer<typeof signingPolicySchema>;

const envSchema = z.object({
  TATUM_API_URL: z.url().default('https://api.tatum.io'),
  TATUM_API_KEY: z.string().min(1).optional(),
  TATUM_API_KEY_SECRET_ARN: z.string().min(1).optional(),
  /** JSON: {"ETH": {"allowedDestinations": [...], "limits": {"native": {"perTransaction": "…", "daily": "…"}}}} */
  SIGNING_POLICY: z.string().optional(),
});

export interface TatumConfig {
  apiUrl: string;
  /** Exactly one of apiKey / apiKeySecretArn. */
  apiKey?: string;
  apiKeySecretArn?: string;
  policy: SigningPolicy;
}

export function loadTatumConfig(env: Readonly<Record<string, string | undefined>>): TatumConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'TATUM');
    throw new ConfigError(variable, issue?.message ?? 'invalid');
  }
  const e = parsed.data;
  if (e.TATUM_API_KEY === undefined && e.TATUM_API_KEY_SECRET_ARN === undefined) {
    throw new ConfigError('TATUM_API_KEY', 'set TATUM_API_KEY or TATUM_API_KEY_SECRET_ARN');
  }
  if (e.TATUM_API_KEY !== undefined && e.TATUM_API_KEY_SECRET_ARN !== undefined) {
    throw new ConfigError('TATUM_API_KEY', 'set only one of TATUM_API_KEY and TATUM_API_KEY_SECRET_ARN');
  }
  return {
    apiUrl: e.TATUM_API_URL,
    ...(e.TATUM_API_KEY !== undefined ? { apiKey: e.TATUM_API_KEY } : {}),
    ...(e.TATUM_API_KEY_SECRET_ARN !== undefined ? { apiKeySecretArn: e.TATUM_API_KEY_SECRET_ARN } : {}),
    policy: parseSigningPolicy(e.SIGNING_POLICY),
  };
}

export function parseSigningPolicy(text: string | undefined): SigningPolicy {
  if (text === undefined || text.trim() === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError('SIGNING_POLICY', 'not valid JSON');
  }
  const parsed = signingPolicySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError('SIGNING_POLICY', `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export const DEFAULT_CHAINS: readonly ChainId[] = [
  'BCH',
  'ETH',
  'BTC',
  'MATIC',
  'LTC',
  'DOGE',
  'BSC',
  'TRON',
  // VET needs KMS_SIGNER_RPC_VET (a Thor REST node) to fill blockRef/gas of Tatum's payload; without it a
  // VET job needing them waits (RETRY, nothing signed) instead of failing or guessing (complete-vet.ts).
  'VET',
];

const loopEnvSchema = z.object({
  /** Comma-separated chains (default: every supported Tatum chain). */
  SIGNER_CHAINS: z.string().optional(),
  SIGNER_TESTNET: z.enum(['true', 'false', '1', '0']).optional(),
  /** mainnet | testnet | regtest; overrides SIGNER_TESTNET (regtest is for the local stand-ins). */
  SIGNER_NETWORK: z.enum(NETWORK_NAMES).optional(),
  SIGNER_PERIOD_SECONDS: z.coerce.number().positive().max(300).default(5),
  SIGNER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(DEFAULT_CONCURRENCY),
  /** Job-write batches written at the same time (jobs.ts; 2 = writeBatchesFor any Lambda concurrency ≤ 64). */
  SIGNER_WRITE_BATCHES: z.coerce
    .number()
    .int()
    .min(WRITE_BATCHES_IN_FLIGHT.min)
    .max(WRITE_BATCHES_IN_FLIGHT.max)
    .default(DEFAULT_WRITE_BATCHES_IN_FLIGHT),
  /** How long the loop reuses a chain's list of ACTIVE wallet ids (0 = list on every pass). */
  SIGNER_WALLET_REFRESH_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** Time one job may need (sign + store + broadcast); no job starts with less time left. */
  SIGNER_JOB_BUDGET_MS: z.coerce.number().int().min(1000).default(15_000),
  /** A never-signed job retried this long is reported as failed once (give-up.ts; 0 = never). */
  SIGNER_REPORT_RETRIES_AFTER_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .default(DEFAULT_REPORT_RETRIES_AFTER_MS / 1000),
  EXTERNAL_URL: z.url().optional(),
  EXTERNAL_URL_METHOD: z.enum(['GET', 'POST']).default('GET'),
  /** HMAC key shared with the four-eyes service (four-eye-signature.ts). */
  FOUR_EYE_SECRET: z.string().min(32).optional(),
});

export interface LoopEnv {
  chains: ChainId[];
  testnet: boolean;
  /** SIGNER_NETWORK, else testnet/mainnet from SIGNER_TESTNET. */
  network: NetworkName;
  periodSeconds: number;
  concurrency: number;
  writeBatchesInFlight: number;
  walletRefreshMs: number;
  jobBudgetMs: number;
  /** Infinity when SIGNER_REPORT_RETRIES_AFTER_SECONDS is 0. */
  reportRetriesAfterMs: number;
  externalUrl?: string;
  externalUrlMethod: 'GET' | 'POST';
  fourEyeSecret?: string;
}

/** The loop's own settings for the Lambda handler (the CLI takes them as options instead). */
export function loadLoopEnv(env: Readonly<Record<string, string | undefined>>): LoopEnv {
  const parsed = loopEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue?.path[0] ?? 'SIGNER'), issue?.message ?? 'invalid');
  }
  const e = parsed.data;
  const testnet = e.SIGNER_TESTNET === 'true' || e.SIGNER_TESTNET === '1';
  const network = e.SIGNER_NETWORK ?? (testnet ? 'testnet' : 'mainnet');
  return {
    chains: parseChains(e.SIGNER_CHAINS, 'SIGNER_CHAINS'),
    testnet: network !== 'mainnet',
    network,
    periodSeconds: e.SIGNER_PERIOD_SECONDS,
    concurrency: e.SIGNER_CONCURRENCY,
    writeBatchesInFlight: e.SIGNER_WRITE_BATCHES,
    walletRefreshMs: e.SIGNER_WALLET_REFRESH_SECONDS * 1000,
    jobBudgetMs: e.SIGNER_JOB_BUDGET_MS,
    reportRetriesAfterMs:
      e.SIGNER_REPORT_RETRIES_AFTER_SECONDS === 0 ? Infinity : e.SIGNER_REPORT_RETRIES_AFTER_SECONDS * 1000,
    ...(e.EXTERNAL_URL !== undefined ? { externalUrl: e.EXTERNAL_URL } : {}),
    externalUrlMethod: e.EXTERNAL_URL_METHOD,
    ...(e.FOUR_EYE_SECRET !== undefined ? { fourEyeSecret: e.FOUR_EYE_SECRET } : {}),
  };
}

/** "ETH,BTC" → ['ETH', 'BTC']; undefined → the defaults. */
export function parseChains(text: string | undefined, variable = '--chain'): ChainId[] {
  if (text === undefined || text.trim() === '') return [...DEFAULT_CHAINS];
  const chains = text
    .split(',')
    .map((c) => c.trim().toUpperCase())
    .filter((c) => c !== '');
  for (const chain of chains) {
    if (!(CHAIN_IDS as readonly string[]).includes(chain)) {
      throw new ConfigError(variable, `unknown chain ${chain}; supported: ${CHAIN_IDS.join(', ')}`);
    }
  }
  return chains as ChainId[];
}
