// Deployment settings from CDK context (`cdk.json` or `cdk deploy -c kms-signer:<name>=<value>`).
// Every value is validated here so a typo fails `cdk synth`, not the first invocation.
import type { Node } from 'constructs';

export type TatumNetwork = 'mainnet' | 'testnet';

export interface StackConfig {
  /** Stage name, part of the stack name (KmsSigner-<stage>). */
  stage: string;
  /** Value of the Application tag on wallet keys; IAM conditions are built on it. */
  appTag: string;
  tatumNetwork: TatumNetwork;
  /** Minutes between scheduled signer invocations (EventBridge `rate(n minute(s))`). */
  scheduleRateMinutes: number;
  /** Reserved concurrency of the signer Lambda (claims are atomic; this only caps load). */
  signerReservedConcurrency: number;
  /** Seconds between passes inside one signer invocation (SIGNER_PERIOD_SECONDS). */
  signerPeriodSeconds: number;
  /** Requests per second the app allows itself for kms:Sign (KMS_SIGN_RATE). */
  kmsSignRate: number;
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
  /** Deploy the optional ECS Fargate daemon (needs ecsImage). */
  enableEcs: boolean;
  /** Container image of kms-signer for the ECS daemon (e.g. an ECR image URI). */
  ecsImage?: string;
}

export const CONTEXT_PREFIX = 'kms-signer:';

const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

function raw(node: Node, name: string): unknown {
  return node.tryGetContext(CONTEXT_PREFIX + name) as unknown;
}

function text(node: Node, name: string): string | undefined {
  const value = raw(node, name);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new Error(`context ${CONTEXT_PREFIX}${name} must be a string`);
  }
  return String(value);
}

function integer(node: Node, name: string, fallback: number, min: number, max: number): number {
  const value = text(node, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`context ${CONTEXT_PREFIX}${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
  return n;
}

function flag(node: Node, name: string): boolean {
  const value = text(node, name);
  if (value === undefined) return false;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new Error(`context ${CONTEXT_PREFIX}${name} must be true or false, got ${value}`);
}

/** Reads and validates the context of `node` (an App or a Stack). */
export function readConfig(node: Node): StackConfig {
  const stage = text(node, 'stage') ?? 'dev';
  if (!/^[A-Za-z][A-Za-z0-9-]{0,31}$/.test(stage)) {
    throw new Error(`context ${CONTEXT_PREFIX}stage must match [A-Za-z][A-Za-z0-9-]{0,31}, got ${stage}`);
  }
  const appTag = text(node, 'appTag') ?? 'kms-signer';
  if (!TAG_VALUE.test(appTag)) throw new Error(`context ${CONTEXT_PREFIX}appTag is not a valid tag value`);
  const network = text(node, 'tatumNetwork') ?? 'testnet';
  if (network !== 'mainnet' && network !== 'testnet') {
    throw new Error(`context ${CONTEXT_PREFIX}tatumNetwork must be mainnet or testnet, got ${network}`);
  }
  const method = text(node, 'externalUrlMethod') ?? 'GET';
  if (method !== 'GET' && method !== 'POST') {
    throw new Error(`context ${CONTEXT_PREFIX}externalUrlMethod must be GET or POST, got ${method}`);
  }
  const externalUrl = text(node, 'externalUrl');
  if (externalUrl !== undefined && !/^https?:\/\/\S+$/.test(externalUrl)) {
    throw new Error(`context ${CONTEXT_PREFIX}externalUrl must be an http(s) URL`);
  }
  // src/tatum/loop.ts refuses to sign on mainnet without the four-eyes URL; fail at synth instead.
  if (network === 'mainnet' && externalUrl === undefined) {
    throw new Error(`context ${CONTEXT_PREFIX}tatumNetwork=mainnet needs ${CONTEXT_PREFIX}externalUrl`);
  }
  const enableEcs = flag(node, 'enableEcs');
  const ecsImage = text(node, 'ecsImage');
  if (enableEcs && ecsImage === undefined) {
    throw new Error(`context ${CONTEXT_PREFIX}enableEcs=true needs ${CONTEXT_PREFIX}ecsImage (an image URI)`);
  }
  const signerChains = text(node, 'signerChains');
  const tatumApiUrl = text(node, 'tatumApiUrl');
  const alarmTopicArn = text(node, 'alarmTopicArn');
  return {
    stage,
    appTag,
    tatumNetwork: network,
    scheduleRateMinutes: integer(node, 'scheduleRateMinutes', 1, 1, 60),
    signerReservedConcurrency: integer(node, 'signerReservedConcurrency', 2, 1, 100),
    signerPeriodSeconds: integer(node, 'signerPeriodSeconds', 5, 1, 300),
    kmsSignRate: integer(node, 'kmsSignRate', 300, 1, 10_000),
    kmsCreateKeyRate: integer(node, 'kmsCreateKeyRate', 5, 1, 100),
    externalUrlMethod: method,
    mongoDb: text(node, 'mongoDb') ?? 'kms-signer',
    heartbeatMinutes: integer(node, 'heartbeatMinutes', 5, 2, 1440),
    enableEcs,
    ...(signerChains !== undefined ? { signerChains } : {}),
    ...(externalUrl !== undefined ? { externalUrl } : {}),
    ...(tatumApiUrl !== undefined ? { tatumApiUrl } : {}),
    ...(alarmTopicArn !== undefined ? { alarmTopicArn } : {}),
    ...(ecsImage !== undefined ? { ecsImage } : {}),
  };
}
