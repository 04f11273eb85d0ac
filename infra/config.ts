// Deployment settings from CDK context (`cdk.json` or `cdk deploy -c kms-signer:<name>=<value>`).
// Every value is validated here so a typo fails `cdk synth`, not the first invocation.
import type { Node } from 'constructs';

export type TatumNetwork = 'mainnet' | 'testnet';

export interface StackConfig {
  /** Stage name, part of the stack name (KmsSigner-<stage>). */
  stage: string;
  /** Value of the Application tag on wallet keys; IAM conditions are built on it. Default kms-signer-<stage>. */
  appTag: string;
  /** Create generated wallet keys as multi-Region primaries (KMS_MULTI_REGION_KEYS), for recovery. */
  multiRegionKeys: boolean;
  tatumNetwork: TatumNetwork;
  /** Minutes between scheduled signer invocations (EventBridge `rate(n minute(s))`). */
  scheduleRateMinutes: number;
  /** Reserved concurrency of the signer Lambda (claims are atomic; this only caps load). */
  signerReservedConcurrency: number;
  /** Seconds between passes inside one signer invocation (SIGNER_PERIOD_SECONDS). */
  signerPeriodSeconds: number;
  /**
   * kms:Sign requests per second for all signer runners of this stage together (KMS_SIGN_QUOTA), used
   * when Service Quotas is not read. Default 1,000: the KMS ECC request-rate quota per account and Region.
   */
  kmsSignQuota: number;
  /** Service Quotas code of that quota: each runner reads the applied value at start-up (KMS_SIGN_QUOTA_CODE). */
  kmsSignQuotaCode?: string;
  /** A fixed Sign rate per runner instead of a share of the quota (KMS_SIGN_RATE). */
  kmsSignRate?: number;
  /** Requests per second for kms:CreateKey (KMS_CREATE_KEY_RATE). */
  kmsCreateKeyRate: number;
  /** Comma-separated chains for SIGNER_CHAINS (empty: all supported chains). */
  signerChains?: string;
  /** Optional external approval URL (EXTERNAL_URL). */
  externalUrl?: string;
  externalUrlMethod: 'GET' | 'POST';
  tatumApiUrl?: string;
  mongoDb: string;
  /** The heartbeat alarm fires when no signer pass completed for this many minutes. */
  heartbeatMinutes: number;
  /** Optional SNS topic ARN that receives every alarm. */
  alarmTopicArn?: string;
  /** Deploy the optional ECS Fargate daemon. */
  enableEcs: boolean;
  /** Prebuilt image URI for the daemon; unset: the repository's Dockerfile is built as a CDK asset. */
  ecsImage?: string;
  /** Private networking: an existing VPC id, or 'new'; unset: no VPC (Lambdas on the public AWS network). */
  vpc?: 'new' | `vpc-${string}`;
  /** HTTP API stage throttling (requests/s and burst) and the API function's reserved concurrency. */
  apiRateLimit: number;
  apiBurstLimit: number;
  apiReservedConcurrency: number;
  /** Create a CloudTrail trail (management events, plus KMS data events if cloudTrailKmsDataEvents). */
  cloudTrail: boolean;
  /** The target account of this stage (`kms-signer:<stage>:account`, else CDK_DEFAULT_ACCOUNT). */
  account?: string;
  /**
   * Deploy the built-in approvals service (infra/approvals.ts) and point the signer's four-eyes check at
   * it; APPROVALS_QUORUM JSON for it (`kms-signer:approvalsQuorum`), else its defaults. Operators must
   * enrol two-step sign-in unless `kms-signer:approvalsTwoStep=false`.
   */
  approvals?: { quorum?: string; requireTwoStep: boolean };
  /**
   * An existing Secrets Manager secret (complete ARN) holding KMS_SIGNER_RPC_NODES: a JSON object of
   * `"<CHAIN>[_<NETWORK>]": "<node URL>"` (src/chain-view/endpoint.ts) — node URLs often carry API keys.
   */
  chainNodesSecretArn?: string;
}

export const CONTEXT_PREFIX = 'kms-signer:';

const SECRET_COMPLETE_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/;

const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

type Lookup = (name: string) => unknown;

/** Stage-scoped values (`kms-signer:<stage>:<name>`) win over shared ones (`kms-signer:<name>`). */
function lookup(node: Node, stage: string | undefined): Lookup {
  return (name) => {
    const scoped =
      stage === undefined ? undefined : (node.tryGetContext(`${CONTEXT_PREFIX}${stage}:${name}`) as unknown);
    return scoped ?? (node.tryGetContext(CONTEXT_PREFIX + name) as unknown);
  };
}

function text(raw: Lookup, name: string): string | undefined {
  const value = raw(name);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new Error(`context ${CONTEXT_PREFIX}${name} must be a string`);
  }
  return String(value);
}

function integer(raw: Lookup, name: string, fallback: number, min: number, max: number): number {
  const value = text(raw, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`context ${CONTEXT_PREFIX}${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
  return n;
}

function flag(raw: Lookup, name: string, fallback = false): boolean {
  const value = text(raw, name);
  if (value === undefined) return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new Error(`context ${CONTEXT_PREFIX}${name} must be true or false, got ${value}`);
}

/** The stages one synthesis builds: `kms-signer:stages` (comma-separated), else `kms-signer:stage`. */
export function readStages(node: Node): string[] {
  const list = text(lookup(node, undefined), 'stages');
  if (list === undefined) return [text(lookup(node, undefined), 'stage') ?? 'dev'];
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The Application tag of a stage unless kms-signer:appTag says otherwise: one tag per stage. */
export function defaultAppTag(stage: string): string {
  return `kms-signer-${stage}`;
}

/** Reads and validates the context of `node` (an App or a Stack) for one stage (default: `kms-signer:stage`). */
export function readConfig(node: Node, stageName?: string): StackConfig {
  const stage = stageName ?? text(lookup(node, undefined), 'stage') ?? 'dev';
  const ctx = lookup(node, stage);
  if (!/^[A-Za-z][A-Za-z0-9-]{0,31}$/.test(stage)) {
    throw new Error(`context ${CONTEXT_PREFIX}stage must match [A-Za-z][A-Za-z0-9-]{0,31}, got ${stage}`);
  }
  // One tag per stage by default: a dev signer must never be able to sign with a prod wallet key.
  const appTag = text(ctx, 'appTag') ?? defaultAppTag(stage);
  if (!TAG_VALUE.test(appTag)) throw new Error(`context ${CONTEXT_PREFIX}appTag is not a valid tag value`);
  const network = text(ctx, 'tatumNetwork') ?? 'testnet';
  if (network !== 'mainnet' && network !== 'testnet') {
    throw new Error(`context ${CONTEXT_PREFIX}tatumNetwork must be mainnet or testnet, got ${network}`);
  }
  const method = text(ctx, 'externalUrlMethod') ?? 'GET';
  if (method !== 'GET' && method !== 'POST') {
    throw new Error(`context ${CONTEXT_PREFIX}externalUrlMethod must be GET or POST, got ${method}`);
  }
  const externalUrl = text(ctx, 'externalUrl');
  if (externalUrl !== undefined && !/^https?:\/\/\S+$/.test(externalUrl)) {
    throw new Error(`context ${CONTEXT_PREFIX}externalUrl must be an http(s) URL`);
  }
  const approvals = approvalsSettings(ctx, externalUrl);
  // src/tatum/loop.ts refuses to sign on mainnet without the four-eyes URL; fail at synth instead.
  if (network === 'mainnet' && externalUrl === undefined && approvals === undefined) {
    throw new Error(
      `context ${CONTEXT_PREFIX}tatumNetwork=mainnet needs ${CONTEXT_PREFIX}externalUrl or ${CONTEXT_PREFIX}approvals=true`,
    );
  }
  const enableEcs = flag(ctx, 'enableEcs');
  const ecsImage = text(ctx, 'ecsImage');
  const vpc = text(ctx, 'vpc');
  if (vpc !== undefined && vpc !== 'new' && !/^vpc-[0-9a-f]{8,17}$/.test(vpc)) {
    throw new Error(`context ${CONTEXT_PREFIX}vpc must be 'new' or a VPC id (vpc-…), got ${vpc}`);
  }
  const signerChains = text(ctx, 'signerChains');
  const tatumApiUrl = text(ctx, 'tatumApiUrl');
  const alarmTopicArn = text(ctx, 'alarmTopicArn');
  const kmsSignQuotaCode = text(ctx, 'kmsSignQuotaCode');
  if (kmsSignQuotaCode !== undefined && !/^L-[0-9A-F]{8}$/.test(kmsSignQuotaCode)) {
    throw new Error(`context ${CONTEXT_PREFIX}kmsSignQuotaCode must be a quota code such as L-1A2B3C4D`);
  }
  const kmsSignRate =
    text(ctx, 'kmsSignRate') === undefined ? undefined : integer(ctx, 'kmsSignRate', 0, 1, 10_000);
  const chainNodesSecretArn = text(ctx, 'chainNodesSecretArn');
  if (chainNodesSecretArn !== undefined && !SECRET_COMPLETE_ARN.test(chainNodesSecretArn)) {
    throw new Error(
      `context ${CONTEXT_PREFIX}chainNodesSecretArn must be a complete Secrets Manager secret ARN (…:secret:<name>-<6 characters>)`,
    );
  }
  const account = text(ctx, 'account');
  if (account !== undefined && !/^\d{12}$/.test(account)) {
    throw new Error(`context ${CONTEXT_PREFIX}account must be a 12-digit AWS account id`);
  }
  return {
    stage,
    appTag,
    multiRegionKeys: flag(ctx, 'multiRegionKeys'),
    tatumNetwork: network,
    scheduleRateMinutes: integer(ctx, 'scheduleRateMinutes', 1, 1, 60),
    signerReservedConcurrency: integer(ctx, 'signerReservedConcurrency', 2, 1, 100),
    signerPeriodSeconds: integer(ctx, 'signerPeriodSeconds', 5, 1, 300),
    kmsSignQuota: integer(ctx, 'kmsSignQuota', 1000, 1, 100_000),
    kmsCreateKeyRate: integer(ctx, 'kmsCreateKeyRate', 5, 1, 100),
    externalUrlMethod: method,
    mongoDb: text(ctx, 'mongoDb') ?? 'kms-signer',
    heartbeatMinutes: integer(ctx, 'heartbeatMinutes', 5, 2, 1440),
    enableEcs,
    apiRateLimit: integer(ctx, 'apiRateLimit', 20, 1, 10_000),
    apiBurstLimit: integer(ctx, 'apiBurstLimit', 40, 1, 5_000),
    apiReservedConcurrency: integer(ctx, 'apiReservedConcurrency', 5, 1, 100),
    cloudTrail: flag(ctx, 'cloudTrail'),
    ...(vpc !== undefined ? { vpc: vpc as StackConfig['vpc'] & string } : {}),
    ...(signerChains !== undefined ? { signerChains } : {}),
    ...(externalUrl !== undefined ? { externalUrl } : {}),
    ...(tatumApiUrl !== undefined ? { tatumApiUrl } : {}),
    ...(alarmTopicArn !== undefined ? { alarmTopicArn } : {}),
    ...(ecsImage !== undefined ? { ecsImage } : {}),
    ...(account !== undefined ? { account } : {}),
    ...(kmsSignQuotaCode !== undefined ? { kmsSignQuotaCode } : {}),
    ...(kmsSignRate !== undefined ? { kmsSignRate } : {}),
    ...(approvals !== undefined ? { approvals } : {}),
    ...(chainNodesSecretArn !== undefined ? { chainNodesSecretArn } : {}),
  };
}

/** `kms-signer:approvals` (the stack's own four-eyes service) excludes an external one. */
function approvalsSettings(ctx: Lookup, externalUrl: string | undefined): StackConfig['approvals'] {
  const quorum = text(ctx, 'approvalsQuorum');
  if (!flag(ctx, 'approvals')) {
    for (const name of ['approvalsQuorum', 'approvalsTwoStep']) {
      if (text(ctx, name) !== undefined) {
        throw new Error(`context ${CONTEXT_PREFIX}${name} needs ${CONTEXT_PREFIX}approvals=true`);
      }
    }
    return undefined;
  }
  const requireTwoStep = flag(ctx, 'approvalsTwoStep', true);
  if (externalUrl !== undefined) {
    throw new Error(
      `context ${CONTEXT_PREFIX}approvals=true deploys the four-eyes service: drop ${CONTEXT_PREFIX}externalUrl`,
    );
  }
  if (quorum !== undefined) {
    // Shape only here; the service validates keys and ranges at start-up (src/approvals/config.ts).
    let parsed: unknown;
    try {
      parsed = JSON.parse(quorum);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error(`context ${CONTEXT_PREFIX}approvalsQuorum must be a JSON object, e.g. {"default":2}`);
    }
  }
  return quorum !== undefined ? { quorum, requireTwoStep } : { requireTwoStep };
}

export interface StageDeployment {
  stage: string;
  appTag: string;
  /** Target account, or undefined for an environment-agnostic stack (then any account). */
  account: string | undefined;
}

/**
 * Refuses two stages that share an Application tag and may land in one account: each stage's IAM
 * conditions would then cover the other stage's wallet keys (a dev signer signing with prod keys).
 * Stages without an account may be deployed anywhere, so they conflict with every stage.
 */
export function assertStagesIsolated(stages: readonly StageDeployment[]): void {
  stages.forEach((a, i) => {
    for (const b of stages.slice(i + 1)) {
      const sameAccount = a.account === undefined || b.account === undefined || a.account === b.account;
      if (sameAccount && a.appTag === b.appTag) {
        throw new Error(
          `stages ${a.stage} and ${b.stage} share the Application tag ${a.appTag} in ` +
            `${a.account ?? b.account ?? 'one (unspecified) account'}: give each stage its own ${CONTEXT_PREFIX}appTag`,
        );
      }
    }
  });
}
