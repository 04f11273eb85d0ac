// runCli: the whole CLI as a function of argv and streams, returning the exit code. main.ts calls it
// with the process's streams; tests call it in-process with captured ones.
import { Command, CommanderError } from 'commander';
import { registerApprovalsCommand } from './commands/approvals.js';
import { registerBatchCommand } from './commands/batch.js';
import { registerCheckConfigCommand } from './commands/checkconfig.js';
import { registerDaemonCommand } from './commands/daemon.js';
import { registerInventoryCommands } from './commands/inventory.js';
import { registerJobsCommand } from './commands/jobs.js';
import { registerReplicateCommand } from './commands/replicate.js';
import { registerStoreKeyCommand } from './commands/store-key.js';
import { registerTatumCompatCommands } from './commands/tatum-compat.js';
import { PUBLIC_ONLY_NOTE, registerWalletCommands } from './commands/wallet.js';
import { describeConfig as defaultDescribeConfig } from './config-summary.js';
import { describeFailure, EXIT, formatFailure, usageError } from './errors.js';
import type { CliContext, CliDeps, CliEnv, CliIo, ConfigSource } from './io.js';
import { looksLikePrivateKey } from './private-key.js';
import { Runtime } from './runtime.js';

export type { CliContext, CliDeps, CliEnv, CliIo } from './io.js';
export { EXIT } from './errors.js';

const EXIT_CODES_HELP = `
Exit codes: 0 ok, 2 usage or validation error, 3 not found, 4 conflict or invalid state, 1 anything else.

${PUBLIC_ONLY_NOTE}

Private keys are never accepted on the command line (storemanagedprivatekey reads them from a hidden
prompt or stdin); an argument that looks like a key is refused without being echoed.`;

export async function runCli(argv: readonly string[], io: CliIo, deps: CliDeps = {}): Promise<number> {
  const rt = new Runtime(io, deps, {
    createContext: defaultCreateContext,
    describeConfig: defaultDescribeConfig,
  });
  try {
    refuseKeysInArgv(argv);
    await buildProgram(rt).parseAsync([...argv], { from: 'user' });
    return EXIT.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return EXIT.OK; // --help, --version
      if (err.code === 'commander.help') return EXIT.USAGE; // no command given: help went to stderr
    }
    const failure = describeFailure(err);
    io.stderr.write(`${formatFailure(failure)}\n`);
    return failure.exitCode;
  } finally {
    await rt.close();
  }
}

function buildProgram(rt: Runtime): Command {
  const program = new Command('kms-signer')
    .description(
      'Wallets whose private keys live in AWS KMS (one ECC_SECG_P256K1 key each).\n' +
        'Commands follow tatum-kms where they can.',
    )
    .option('--testnet', 'testnet instead of mainnet: for new wallets, an export filter, else checked')
    .option('--network <name>', 'mainnet, testnet or regtest (instead of --testnet)')
    .option('--chain <chain>', 'an export filter; elsewhere checked against the chain or wallet')
    .option('--json', 'machine-readable JSON on stdout')
    .option('--env-file <path>', 'read settings from this file too (the environment wins)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => rt.io.stdout.write(text),
      writeErr: (text) => rt.io.stderr.write(text),
      outputError: () => undefined, // runCli prints one line of its own
    })
    .addHelpText('after', EXIT_CODES_HELP);
  program.configureHelp({ sortSubcommands: false, showGlobalOptions: true });

  registerWalletCommands(program, rt);
  registerBatchCommand(program, rt);
  registerStoreKeyCommand(program, rt);
  registerInventoryCommands(program, rt);
  registerCheckConfigCommand(program, rt);
  registerDaemonCommand(program, rt);
  registerJobsCommand(program, rt);
  registerApprovalsCommand(program, rt);
  registerReplicateCommand(program, rt);
  registerTatumCompatCommands(program);
  for (const command of program.commands) {
    command.exitOverride();
    command.configureOutput({
      writeOut: (text) => rt.io.stdout.write(text),
      writeErr: (text) => rt.io.stderr.write(text),
      outputError: () => undefined,
    });
  }
  return program;
}

/**
 * Refuses the whole invocation when an argument has the shape of a private key (64 hex digits or a
 * WIF): it is never echoed, and never reaches a command that could print it in an error.
 */
function refuseKeysInArgv(argv: readonly string[]): void {
  argv.forEach((arg, i) => {
    const value = arg.startsWith('-') && arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : arg;
    if (looksLikePrivateKey(value)) {
      throw usageError(
        'argv',
        `argument ${i + 1} looks like a private key and was refused (not shown). Keys are never read from the ` +
          'command line; use storemanagedprivatekey, which reads stdin or a hidden prompt. Treat that key as ' +
          'exposed: it may be in your shell history.',
      );
    }
  });
}

// The application (MongoDB driver, AWS SDK) is loaded only when a command needs it.
async function defaultCreateContext(env: CliEnv, source: ConfigSource): Promise<CliContext> {
  const { createDefaultContext } = await import('./context.js');
  return createDefaultContext(env, source);
}
