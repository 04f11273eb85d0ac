// checkconfig: loads the configuration, connects to MongoDB and KMS, and says what is OK and what is
// missing. Connection strings are masked; secrets are never printed.
import type { Command } from 'commander';
import { CliError, describeFailure, EXIT, failureText, type Failure } from '../errors.js';
import type { CliContext, ConfigSetting } from '../io.js';
import { table } from '../render.js';
import { refuseScope } from '../options.js';
import type { Runtime } from '../runtime.js';

type Health = 'ok' | 'down' | 'not checked';

interface CheckResult {
  ok: boolean;
  config: 'ok' | 'invalid';
  settings: ConfigSetting[];
  mongo: Health;
  kms: Health;
  /** What failed, as `<field>: <reason>` (masked). */
  problems: string[];
}

export function registerCheckConfigCommand(program: Command, rt: Runtime): void {
  program
    .command('checkconfig')
    .description('check the configuration, MongoDB and KMS (secrets masked)')
    .addHelpText(
      'after',
      '\nSettings come from the environment and --env-file <path> (a variable set in the environment wins).\n' +
        'Connection strings are shown without credentials or options; secrets are never printed.',
    )
    .action(async (_opts: unknown, command: Command) => {
      const opts = rt.options(command);
      refuseScope(opts, 'checkconfig');
      const result: CheckResult = {
        ok: false,
        config: 'ok',
        settings: [],
        mongo: 'not checked',
        kms: 'not checked',
        problems: [],
      };
      let worst: Failure | undefined;
      const problem = (f: Failure): void => {
        result.problems.push(failureText(f));
        worst ??= f;
      };

      try {
        result.settings = [...rt.describeConfig(opts)];
      } catch (err) {
        result.config = 'invalid';
        problem(describeFailure(err));
      }
      let context: CliContext | undefined;
      if (result.config === 'ok') {
        try {
          context = await rt.openContext(opts);
        } catch (err) {
          const f = describeFailure(err);
          if (f.field === 'MongoDB') result.mongo = 'down';
          problem(f);
        }
      }
      if (context !== undefined) {
        try {
          const health = await context.walletService.health();
          result.mongo = health.mongo;
          result.kms = health.kms;
        } catch (err) {
          problem(describeFailure(err));
        }
        for (const [name, state] of [
          ['MongoDB', result.mongo],
          ['KMS', result.kms],
        ] as const) {
          if (state !== 'ok')
            problem({ exitCode: EXIT.FAILURE, field: name, reason: `not reachable (${state})` });
        }
      }
      result.ok = worst === undefined;

      rt.output(opts, result, () => [
        ...table([
          ['configuration', result.config.toUpperCase()],
          ...result.settings.map((s): [string, string] => [`  ${s.name}`, s.value]),
          ['MongoDB', result.mongo.toUpperCase()],
          ['KMS', result.kms.toUpperCase()],
        ]),
        ...result.problems.map((p) => `problem: ${p}`),
        result.ok ? 'all checks passed' : 'some checks failed',
      ]);
      if (worst !== undefined) throw new CliError(worst.exitCode, worst.field, worst.reason);
    });
}
