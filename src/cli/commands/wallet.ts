// generatemanagedwallet, getmanagedwallet, getaddress, removewallet, registerflowaccount.
import { Option, type Command } from 'commander';
import { about, CliError, EXIT, usageError } from '../errors.js';
import {
  addWalletOptions,
  chainArgument,
  checkScope,
  hasScope,
  parseIndex,
  parsePendingDays,
  parseSignatureId,
  walletInput,
  type WalletOptions,
} from '../options.js';
import { renderKey, renderWallet, table } from '../render.js';
import type { Runtime } from '../runtime.js';
import { readVisibleLine } from '../terminal-input.js';

export const PUBLIC_ONLY_NOTE =
  'No command reveals a private key: none exists outside AWS KMS, where each wallet key is created\n' +
  '(or imported) as a non-exportable ECC_SECG_P256K1 key. Reads return public data only.';

export function registerWalletCommands(program: Command, rt: Runtime): void {
  registerGenerate(program, rt);
  registerGetWallet(program, rt);
  registerGetAddress(program, rt);
  registerRemove(program, rt);
  registerFlowAccountCommand(program, rt);
}

function registerFlowAccountCommand(program: Command, rt: Runtime): void {
  program
    .command('registerflowaccount')
    .description("FLOW: register the chain account holding the wallet's key (checked on the Flow node)")
    .argument('<signatureId>', 'the FLOW wallet id')
    .argument('<address>', 'the Flow account address (created by someone else with the wallet public key)')
    .argument('[keyIndex]', "index of the wallet's key on that account", '0')
    .addHelpText(
      'after',
      '\nThe Flow node is KMS_SIGNER_RPC_FLOW (the one the signing loop uses). The key at keyIndex must be\n' +
        "the wallet's public key, ECDSA_secp256k1 with SHA2_256 or SHA3_256, weight 1000, not revoked.",
    )
    .action(async (idArg: string, address: string, indexArg: string, _opts: unknown, command: Command) => {
      const opts = rt.options(command);
      const signatureId = parseSignatureId(idArg);
      const keyIndex = parseIndex(indexArg);
      const service = await rt.service(opts);
      const register = service.registerFlowAccount?.bind(service);
      if (register === undefined)
        throw new CliError(EXIT.FAILURE, 'signatureId', 'FLOW registration is not available here');
      if (hasScope(opts)) {
        checkScope(opts, await about('signatureId', signatureId, () => service.getWallet(signatureId)));
      }
      const wallet = await about('signatureId', signatureId, () =>
        register(signatureId, { address, keyIndex }),
      );
      rt.output(opts, wallet, () => renderWallet(wallet));
    });
}

function registerGenerate(program: Command, rt: Runtime): void {
  addWalletOptions(program.command('generatemanagedwallet'), true)
    .description('create a wallet (a new KMS key); prints its signatureId and address')
    .argument('<chain>', 'chain id, e.g. BTC, ETH, TRON')
    .addHelpText(
      'after',
      '\nExample:\n  kms-signer generatemanagedwallet BTC --testnet --label "hot wallet 1"',
    )
    .action(async (chainArg: string, _opts: unknown, command: Command) => {
      const opts = rt.options<WalletOptions>(command);
      const input = walletInput(chainArgument(chainArg, opts), opts);
      const service = await rt.service(opts);
      const { wallet } = await service.createWallet(input);
      rt.output(opts, wallet, () =>
        table([
          ['signatureId', wallet.signatureId],
          ['address', wallet.address],
          ['chain', `${wallet.chain} (${wallet.network})`],
        ]),
      );
    });
}

function registerGetWallet(program: Command, rt: Runtime): void {
  program
    .command('getmanagedwallet')
    .description("show a wallet's public data (addresses, public key, KMS key, status)")
    .argument('<signatureId>', 'the wallet id')
    .addHelpText('after', `\n${PUBLIC_ONLY_NOTE}`)
    .action(async (idArg: string, _opts: unknown, command: Command) => {
      const opts = rt.options(command);
      const signatureId = parseSignatureId(idArg);
      const service = await rt.service(opts);
      const wallet = await about('signatureId', signatureId, () => service.getWallet(signatureId));
      checkScope(opts, wallet);
      rt.output(opts, wallet, () => renderWallet(wallet));
    });
}

function registerGetAddress(program: Command, rt: Runtime): void {
  program
    .command('getaddress')
    .description("address of the wallet's key at [index] (default 0; created in KMS on first use)")
    .argument('<signatureId>', 'the wallet id')
    .argument('[index]', 'key index, 0 to 2147483647', '0')
    .addHelpText('after', `\n${PUBLIC_ONLY_NOTE}`)
    .action(async (idArg: string, indexArg: string, _opts: unknown, command: Command) => {
      const opts = rt.options(command);
      const signatureId = parseSignatureId(idArg);
      const index = parseIndex(indexArg);
      const service = await rt.service(opts);
      if (hasScope(opts)) {
        checkScope(opts, await about('signatureId', signatureId, () => service.getWallet(signatureId)));
      }
      const key = await about('signatureId', signatureId, () => service.getAddress(signatureId, index));
      rt.output(opts, { signatureId, ...key }, () => renderKey(signatureId, key));
    });
}

function registerRemove(program: Command, rt: Runtime): void {
  program
    .command('removewallet')
    .description("schedule deletion of a wallet's KMS keys (after 7-30 days)")
    .argument('<signatureId>', 'the wallet id')
    .addOption(
      new Option('--pending-days <days>', 'waiting period before KMS deletes the keys, 7 to 30').default(
        '30',
      ),
    )
    .option('--yes', 'do not ask; required when stdin is not a terminal')
    .addHelpText(
      'after',
      '\nWithout --yes you are asked to type the signatureId again. Deleted KMS keys cannot be recovered:\n' +
        'funds on their addresses are lost once the waiting period ends.',
    )
    .action(async (idArg: string, _opts: unknown, command: Command) => {
      const opts = rt.options<{ pendingDays: string; yes?: boolean }>(command);
      const signatureId = parseSignatureId(idArg);
      const days = parsePendingDays(opts.pendingDays);
      if (opts.yes !== true && !rt.tty.stdin) {
        throw usageError(
          '--yes',
          'removewallet needs --yes when stdin is not a terminal; nothing was changed',
        );
      }
      const service = await rt.service(opts);
      if (hasScope(opts)) {
        checkScope(opts, await about('signatureId', signatureId, () => service.getWallet(signatureId)));
      }
      if (opts.yes !== true) await confirmRemoval(rt, signatureId, days);
      const wallet = await about('signatureId', signatureId, () =>
        service.scheduleWalletDeletion(signatureId, days),
      );
      rt.output(opts, wallet, () =>
        table([
          ['signatureId', wallet.signatureId],
          ['status', wallet.status],
          ['deletionDate', wallet.deletionDate?.toISOString() ?? '-'],
        ]),
      );
    });
}

async function confirmRemoval(rt: Runtime, signatureId: string, days: number): Promise<void> {
  const answer = await readVisibleLine(
    rt.io.stdin,
    rt.io.stderr,
    `This schedules deletion of every KMS key of wallet ${signatureId} in ${days} days.\n` +
      'Type the signatureId to confirm: ',
    'confirmation',
    rt.io.signal,
  );
  if (answer.toLowerCase() !== signatureId) {
    throw new CliError(
      EXIT.USAGE,
      'confirmation',
      'the text typed is not the signatureId; nothing was changed',
    );
  }
}
