// Settings of the approvals service: the quorum per chain (by default 2 on mainnet, 1 elsewhere), how long an
// approval stays valid, the loop's shared secret, and the operators' session and lock-out rules.
import * as z from 'zod';
import { CHAIN_IDS, type ChainId, type NetworkName } from '../chains/index.js';
import { fourEyeSecretProblem } from '../tatum/four-eye-signature.js';

export interface ApprovalsConfig {
  /**
   * Distinct approvers a transaction needs, per chain; `default` for the other chains; without either,
   * defaultQuorum of the transaction's network (the network of the wallets it spends from).
   */
  quorum: { default?: number } & Partial<Record<ChainId, number>>;
  /** An approval stops counting this long after it was given. */
  approvalTtlMs: number;
  /** HMAC key shared with the signing loop (FOUR_EYE_SECRET there). */
  loopSecret: string;
  /** Secure cookies with the __Host- prefix; only false for plain-HTTP local use. */
  secureCookies: boolean;
  sessionTtlMs: number;
  /** Failed sign-ins within `lockoutWindowMs` that lock an operator out until they age out. */
  maxFailedLogins: number;
  lockoutWindowMs: number;
  /** Every operator must enrol a one-time-code app before any other page (APPROVALS_REQUIRE_TWO_STEP). */
  requireTwoStep: boolean;
}

/** Failed sign-ins that lock an operator out, and the window they count in (the console and the CLI). */
export const OPERATOR_LOCKOUT = { maxFailedLogins: 5, windowMs: 15 * 60_000 } as const;

/** Two distinct operators on mainnet, as tatum-kms requires a four-eyes service there at all. */
export function defaultQuorum(network: NetworkName): number {
  return network === 'mainnet' ? 2 : 1;
}

/** Unknown network (wallet not found): the mainnet quorum — the loop refuses such a transaction anyway. */
export function quorumFor(config: ApprovalsConfig, chain: string, network: NetworkName | null): number {
  return config.quorum[chain as ChainId] ?? config.quorum.default ?? defaultQuorum(network ?? 'mainnet');
}

const quorumSchema = z
  .record(z.string(), z.number().int().min(1).max(20))
  .refine(
    (q) => Object.keys(q).every((k) => k === 'default' || (CHAIN_IDS as readonly string[]).includes(k)),
    {
      message: 'keys must be "default" or chain ids',
    },
  );

const envSchema = z.object({
  /** JSON, e.g. {"default":2,"BTC":3}. */
  APPROVALS_QUORUM: z.string().optional(),
  APPROVALS_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(30 * 24 * 3600)
    .default(24 * 3600),
  FOUR_EYE_SECRET: z.string(),
  APPROVALS_INSECURE_COOKIES: z.enum(['true', 'false']).default('false'),
  APPROVALS_REQUIRE_TWO_STEP: z.enum(['true', 'false']).default('false'),
  APPROVALS_SESSION_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(24 * 3600)
    .default(8 * 3600),
});

export class ApprovalsConfigError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'ApprovalsConfigError';
  }
}

export function loadApprovalsConfig(env: Readonly<Record<string, string | undefined>>): ApprovalsConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApprovalsConfigError(String(issue?.path[0] ?? 'APPROVALS'), issue?.message ?? 'invalid');
  }
  const e = parsed.data;
  const secretProblem = fourEyeSecretProblem(e.FOUR_EYE_SECRET);
  if (secretProblem !== null) throw new ApprovalsConfigError('FOUR_EYE_SECRET', secretProblem);
  let quorum: ApprovalsConfig['quorum'] = {};
  if (e.APPROVALS_QUORUM !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(e.APPROVALS_QUORUM);
    } catch {
      throw new ApprovalsConfigError('APPROVALS_QUORUM', 'is not JSON');
    }
    const q = quorumSchema.safeParse(json);
    if (!q.success)
      throw new ApprovalsConfigError('APPROVALS_QUORUM', q.error.issues[0]?.message ?? 'invalid');
    quorum = q.data;
  }
  return {
    quorum,
    approvalTtlMs: e.APPROVALS_TTL_SECONDS * 1000,
    loopSecret: e.FOUR_EYE_SECRET,
    secureCookies: e.APPROVALS_INSECURE_COOKIES !== 'true',
    sessionTtlMs: e.APPROVALS_SESSION_SECONDS * 1000,
    maxFailedLogins: OPERATOR_LOCKOUT.maxFailedLogins,
    lockoutWindowMs: OPERATOR_LOCKOUT.windowMs,
    requireTwoStep: e.APPROVALS_REQUIRE_TWO_STEP === 'true',
  };
}
