// The ECS daemon must run the loop exactly as the Lambda signer does: both are built from one stack
// configuration (infra/signer-runtime.ts). This reads the Lambda's environment back with the handler's
// own parser (loadLoopEnv) and the container's command with the CLI's own parser (commander, through
// registerDaemonCommand with a stub dependency factory), and compares the settings that reach the loop.
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { registerDaemonCommand, type DaemonDepsFactory } from '../../../src/cli/commands/daemon.js';
import { loadLoopEnv, parseChains } from '../../../src/tatum/config.js';
import { synthStack } from './harness.js';

vi.setConfig({ testTimeout: 60_000 });

interface ContainerDef {
  Command: string[];
  Environment: { Name: string; Value: unknown }[];
}

const FULL = {
  'kms-signer:enableEcs': 'true',
  'kms-signer:ecsImage': 'public.ecr.aws/x/kms-signer:1',
  'kms-signer:tatumNetwork': 'mainnet',
  'kms-signer:externalUrl': 'https://approve.example.com/v1',
  'kms-signer:externalUrlMethod': 'POST',
  'kms-signer:signerChains': 'ETH,BTC,TRON',
  'kms-signer:tatumApiUrl': 'https://api.eu.tatum.io',
  'kms-signer:signerPeriodSeconds': 7,
};

/** Parses the container command with the real `daemon` command definition; returns its options. */
async function parseDaemonCommand(argv: string[]): Promise<Record<string, unknown>> {
  const program = new Command('kms-signer')
    .option('--testnet')
    .option('--network <name>')
    .option('--chain <chain>')
    .option('--json')
    .option('--env-file <path>')
    .exitOverride();
  let seen: Record<string, unknown> | undefined;
  const stopBeforeAnyIo: DaemonDepsFactory = () => Promise.reject(new Error('parsed'));
  const rt = {
    options: (command: Command) => (seen = command.optsWithGlobals()),
    io: { env: {} },
    note: () => undefined,
  };
  registerDaemonCommand(program, rt as never, stopBeforeAnyIo);
  await expect(program.parseAsync(argv, { from: 'user' })).rejects.toThrow('parsed');
  return seen!;
}

describe('ECS daemon and Lambda signer', () => {
  it.each([
    ['defaults', { 'kms-signer:enableEcs': 'true', 'kms-signer:ecsImage': 'public.ecr.aws/x/kms-signer:1' }],
    ['every loop setting', FULL],
  ])('run the loop with the same settings (%s)', async (_name, context) => {
    const { stack, template } = synthStack(context);
    const resources = template.toJSON().Resources as Record<
      string,
      { Properties: { Environment: { Variables: Record<string, string> } } }
    >;
    const lambdaEnv =
      resources[stack.getLogicalId(stack.signerFunction.node.defaultChild as never)]!.Properties.Environment
        .Variables;
    const lambda = loadLoopEnv(lambdaEnv);

    const task = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0] as {
      Properties: { ContainerDefinitions: ContainerDef[] };
    };
    const container = task.Properties.ContainerDefinitions[0]!;
    const env = Object.fromEntries(container.Environment.map((e) => [e.Name, e.Value]));
    const opts = await parseDaemonCommand(container.Command);

    expect(opts.network).toBe(lambda.network);
    expect(Number(opts.period)).toBe(lambda.periodSeconds);
    expect(opts.externalUrl).toBe(lambda.externalUrl);
    expect(opts.externalUrlMethod).toBe(lambda.externalUrlMethod);
    expect(parseChains(opts.chain as string | undefined)).toEqual(lambda.chains);
    expect(Number(opts.concurrency)).toBe(lambda.concurrency);
    expect(Number(opts.walletRefresh) * 1000).toBe(lambda.walletRefreshMs);
    expect(opts.json).toBe(true); // one line per pass: the daemon heartbeat
    // Settings both read from the environment.
    for (const name of [
      'TATUM_API_URL',
      'APP_TAG',
      'MONGODB_DB',
      'KMS_SIGN_QUOTA',
      'KMS_SIGN_RUNNERS',
      'TATUM_API_KEY_SECRET_ARN',
    ]) {
      expect(env[name], name).toEqual(lambdaEnv[name]);
    }
  });

  it('carries every setting in the full variant', async () => {
    const { template } = synthStack(FULL);
    const task = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0] as {
      Properties: { ContainerDefinitions: ContainerDef[] };
    };
    const opts = await parseDaemonCommand(task.Properties.ContainerDefinitions[0]!.Command);
    expect(opts).toMatchObject({
      network: 'mainnet',
      period: '7',
      externalUrl: 'https://approve.example.com/v1',
      externalUrlMethod: 'POST',
      chain: 'ETH,BTC,TRON',
    });
  });
});
