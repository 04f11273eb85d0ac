// approvals: the built-in four-eyes service. `approvals serve` runs the loop-facing endpoint and the
// operators' console; `approvals add-operator` creates a console operator (password from a hidden
// prompt or stdin, never the command line); `approvals reset-two-step` clears an operator's two-step
// sign-in (a lost phone when no other admin can sign in).
import { errorMessage } from '../../util/error-message.js';
import type { Command } from 'commander';
import { createAppContext } from '../../app-context.js';
import {
  ApprovalAudit,
  ApprovalsService,
  loadApprovalsConfig,
  OPERATOR_LOCKOUT,
  normalizeUsername,
  OperatorStore,
  resetTwoStep,
  ROLES,
  startApprovalsServer,
  type Role,
} from '../../approvals/index.js';
import { parseSigningPolicy } from '../../tatum/config.js';
import { loadCliConfig } from '../config-summary.js';
import { usageError } from '../errors.js';
import { readHiddenLine, readPiped } from '../terminal-input.js';
import type { Runtime } from '../runtime.js';

interface ServeOptions {
  port: string;
  host: string;
}

const openContext = (rt: Runtime, envFile: string | undefined) =>
  createAppContext(loadCliConfig(rt.io.env, envFile === undefined ? {} : { envFile }));

async function openService(rt: Runtime, envFile: string | undefined) {
  const env = rt.io.env;
  let config;
  try {
    config = loadApprovalsConfig(env);
  } catch (error) {
    const field = (error as { field?: string }).field ?? 'APPROVALS';
    throw usageError(field, error instanceof Error ? error.message.replace(`${field}: `, '') : '');
  }
  const context = await openContext(rt, envFile);
  const service = new ApprovalsService({
    db: context.db,
    config,
    wallets: context.walletService,
    policy: parseSigningPolicy(env.SIGNING_POLICY),
  });
  return { service, context };
}

export function registerApprovalsCommand(program: Command, rt: Runtime): void {
  const approvals = program
    .command('approvals')
    .description('the built-in four-eyes approval service (loop endpoint + operators console)')
    .addHelpText(
      'after',
      "\nFOUR_EYE_SECRET (≥ 32 characters, the same as the daemon's); APPROVALS_QUORUM (JSON, e.g.\n" +
        '{"default":2,"BTC":3}; without it 2 on mainnet, 1 on testnet/regtest); APPROVALS_TTL_SECONDS\n' +
        '(default 86400); APPROVALS_SESSION_SECONDS; APPROVALS_INSECURE_COOKIES=true only for plain-HTTP local use;\n' +
        'APPROVALS_REQUIRE_TWO_STEP=true makes every operator enrol an authenticator app first.\n' +
        'The daemon then runs with --externalUrl <url>/four-eye --externalUrlMethod POST.',
    );
  registerServe(approvals, rt);
  registerAddOperator(approvals, rt);
  registerResetTwoStep(approvals, rt);
}

function registerServe(approvals: Command, rt: Runtime): void {
  approvals
    .command('serve')
    .description('serve the four-eyes endpoint and the console')
    .option('--port <port>', 'TCP port', '8090')
    .option('--host <address>', 'address to bind (anything but loopback belongs behind TLS)', '127.0.0.1')
    .action(async (_opts: unknown, command: Command) => {
      const opts = rt.options<ServeOptions>(command);
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError('--port', 'must be 0–65535');
      const { service, context } = await openService(rt, opts.envFile);
      try {
        const server = await startApprovalsServer({
          service,
          port,
          host: opts.host,
          log: (entry) => {
            rt.note(JSON.stringify(entry));
          },
        });
        rt.note(`kms-signer approvals: console ${server.url}, loop endpoint ${server.fourEyeUrl}`);
        await new Promise<void>((resolve) => {
          if (!rt.io.signal) return;
          if (rt.io.signal.aborted) resolve();
          rt.io.signal.addEventListener(
            'abort',
            () => {
              resolve();
            },
            { once: true },
          );
        });
        await server.close();
      } finally {
        await context.close();
      }
    });
}

function registerAddOperator(approvals: Command, rt: Runtime): void {
  approvals
    .command('add-operator <username>')
    .description('create a console operator; the password is read from a hidden prompt or stdin')
    .option('--role <role>', `one of ${ROLES.join(', ')}`, 'approver')
    .action(async (username: string, _opts: unknown, command: Command) => {
      const opts = rt.options<{ role: string }>(command);
      if (!(ROLES as readonly string[]).includes(opts.role)) {
        throw usageError('--role', `must be one of ${ROLES.join(', ')}`);
      }
      // Only the operators' records: no FOUR_EYE_SECRET or quorum needed to create the first admin.
      const context = await openContext(rt, opts.envFile);
      const clock = () => new Date();
      const operators = new OperatorStore(context.db, clock, OPERATOR_LOCKOUT);
      try {
        const raw = rt.tty.stdin
          ? await readHiddenLine(rt.io.stdin, rt.io.stderr, `Password for ${username}: `, 'password')
          : await readPiped(rt.io.stdin, 'password');
        const password = raw.toString('utf8').replace(/\r?\n$/, '');
        raw.fill(0);
        try {
          await operators.create(username, password, opts.role as Role);
        } catch (error) {
          const text = errorMessage(error);
          const [field, ...rest] = text.split(': ');
          throw usageError(field ?? 'operator', rest.join(': '));
        }
        await new ApprovalAudit(context.db, clock).record({
          actor: 'cli',
          action: 'operator-created',
          detail: `${username.toLowerCase()} (${opts.role})`,
          ip: 'local',
        });
        rt.print(`operator ${username.toLowerCase()} created (${opts.role})`);
      } finally {
        await context.close();
      }
    });
}

function registerResetTwoStep(approvals: Command, rt: Runtime): void {
  approvals
    .command('reset-two-step <username>')
    .description("clear an operator's two-step sign-in; they enrol again at their next sign-in")
    .action(async (username: string, _opts: unknown, command: Command) => {
      const opts = rt.options<Record<string, never>>(command);
      const name = normalizeUsername(username);
      const context = await openContext(rt, opts.envFile);
      try {
        if (!(await resetTwoStep(context.db, name))) throw usageError('username', `no operator ${name}`);
        await new ApprovalAudit(context.db, () => new Date()).record({
          actor: 'cli',
          action: 'two-step-reset',
          detail: name,
          ip: 'local',
        });
        rt.print(`two-step sign-in of ${name} reset; they set it up again at their next sign-in`);
      } finally {
        await context.close();
      }
    });
}
