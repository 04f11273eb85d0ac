// The signing loop's settings, built once from the stack configuration for both runtimes: the Lambda
// signer reads them as environment variables (src/tatum/config.ts loadLoopEnv), the ECS daemon as
// `kms-signer daemon` options (src/cli/commands/daemon.ts). Any setting added here reaches both, and
// test/unit/infra/ecs-parity.test.ts reads both back with the service's own parsers.
import type { StackConfig } from './config.js';

type LoopSettings = Pick<
  StackConfig,
  | 'tatumNetwork'
  | 'signerPeriodSeconds'
  | 'externalUrlMethod'
  | 'signerChains'
  | 'externalUrl'
  | 'tatumApiUrl'
>;

/** Environment of the scheduled Lambda signer (besides the common and secret-ARN variables). */
export function lambdaLoopEnvironment(config: LoopSettings): Record<string, string> {
  return {
    SIGNER_NETWORK: config.tatumNetwork,
    SIGNER_PERIOD_SECONDS: String(config.signerPeriodSeconds),
    EXTERNAL_URL_METHOD: config.externalUrlMethod,
    ...(config.signerChains !== undefined ? { SIGNER_CHAINS: config.signerChains } : {}),
    ...(config.externalUrl !== undefined ? { EXTERNAL_URL: config.externalUrl } : {}),
    ...(config.tatumApiUrl !== undefined ? { TATUM_API_URL: config.tatumApiUrl } : {}),
  };
}

/**
 * Command of the daemon container (the image's entry point is `kms-signer`). `--json` prints one line
 * per pass, which the daemon's heartbeat metric filter counts. TATUM_API_URL has no option: the CLI
 * reads it from the environment (daemonEnvironment).
 */
export function daemonCommand(config: LoopSettings): string[] {
  return [
    'daemon',
    '--json',
    '--network',
    config.tatumNetwork,
    '--period',
    String(config.signerPeriodSeconds),
    '--externalUrlMethod',
    config.externalUrlMethod,
    ...(config.signerChains !== undefined ? ['--chain', config.signerChains] : []),
    ...(config.externalUrl !== undefined ? ['--externalUrl', config.externalUrl] : []),
  ];
}

/** Environment of the daemon container for the settings that are not options. */
export function daemonEnvironment(config: LoopSettings): Record<string, string> {
  return config.tatumApiUrl !== undefined ? { TATUM_API_URL: config.tatumApiUrl } : {};
}

type SignRateSettings = Pick<
  StackConfig,
  'kmsSignQuota' | 'kmsSignQuotaCode' | 'kmsSignRate' | 'signerReservedConcurrency' | 'enableEcs'
>;

/** Tasks of the ECS daemon service (infra/ecs.ts desiredCount; deployments never run more at once). */
export const DAEMON_TASK_COUNT = 1;

/**
 * How many processes may sign at once: the signer Lambda's reserved concurrency (a hard cap on its
 * concurrent invocations) plus the daemon's tasks. Each paces itself at quota / runners
 * (src/kms/sign-quota.ts), so together they stay under the account's quota.
 */
export function signerRunners(config: SignRateSettings): number {
  return config.signerReservedConcurrency + (config.enableEcs ? DAEMON_TASK_COUNT : 0);
}

/** Sign-rate environment of every signer runner, Lambda and daemon alike. */
export function signRateEnvironment(config: SignRateSettings): Record<string, string> {
  return {
    KMS_SIGN_QUOTA: String(config.kmsSignQuota),
    KMS_SIGN_RUNNERS: String(signerRunners(config)),
    ...(config.kmsSignQuotaCode !== undefined ? { KMS_SIGN_QUOTA_CODE: config.kmsSignQuotaCode } : {}),
    ...(config.kmsSignRate !== undefined ? { KMS_SIGN_RATE: String(config.kmsSignRate) } : {}),
  };
}
