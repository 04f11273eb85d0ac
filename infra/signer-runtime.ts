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
