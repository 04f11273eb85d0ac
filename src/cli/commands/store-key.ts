// storemanagedprivatekey <chain>: imports an existing private key into a new KMS key. The key comes
// from a hidden prompt or from stdin, never from the command line.
import type { Command } from 'commander';
import { usageError } from '../errors.js';
import { CHAIN_IDS, type ChainId } from '../../chains/index.js';
import {
  addWalletOptions,
  chainArgument,
  walletInput,
  type GlobalOptions,
  type WalletOptions,
} from '../options.js';
import { parsePrivateKey } from '../private-key.js';
import { table } from '../render.js';
import type { Runtime } from '../runtime.js';
import { readHiddenLine, readPiped } from '../terminal-input.js';

export const KEY_INPUT_NOTE =
  'The key is read from a hidden prompt on a terminal, or from stdin when piped, e.g.\n' +
  '  kms-signer storemanagedprivatekey ETH < key.txt\n' +
  'It is NEVER taken from the command line: arguments stay in shell history and are visible to other\n' +
  'users in the process list. An extra argument or an unknown option is refused without being echoed.\n' +
  'Formats: 64 hex digits (with or without 0x), or WIF (Bitcoin-family chains, matching network).\n' +
  'Nothing prints the key; the copy in memory is zeroed after the import. KMS keeps it as a\n' +
  'non-exportable key: afterwards, no command can reveal it.';

export function registerStoreKeyCommand(program: Command, rt: Runtime): void {
  addWalletOptions(program.command('storemanagedprivatekey'), true)
    .description('import an existing private key into KMS (hidden prompt or stdin)')
    .argument('<chain>', 'chain id, e.g. BTC, ETH')
    // Unknown options and extra arguments reach the action, which refuses them without echoing them
    // (commander's own message would repeat `--key=<value>`).
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .addHelpText('after', `\n${KEY_INPUT_NOTE}`)
    .action(async (chainArg: string, _opts: unknown, command: Command) => {
      const [only, ...extra] = command.args;
      if (extra.length > 0 || only === undefined || only.startsWith('-')) {
        throw usageError(
          'privateKey',
          'storemanagedprivatekey takes only <chain> and its options; the key is never read from the command ' +
            'line (pipe it on stdin or type it at the prompt). If you passed a key as an argument, treat it as ' +
            'exposed: it may be in your shell history.',
        );
      }
      const opts = rt.options<WalletOptions>(command);
      const input = walletInput(quietChain(chainArg, opts), opts);
      const { chain, network } = input;

      // Configuration and connections first: nobody types a key only to learn that MongoDB is down.
      const service = await rt.service(opts);
      const raw = rt.tty.stdin
        ? await readHiddenLine(
            rt.io.stdin,
            rt.io.stderr,
            `Private key for ${chain} ${network} (hex or WIF; input is hidden): `,
            'privateKey',
          )
        : await readPiped(rt.io.stdin, 'privateKey');
      let parsed;
      try {
        parsed = parsePrivateKey(raw, chain, network);
      } finally {
        raw.fill(0);
      }
      try {
        if (!parsed.compressed) {
          rt.note(
            'kms-signer: note: the WIF marks an uncompressed key; kms-signer derives every Bitcoin-family address ' +
              'from the compressed public key, so the P2PKH address differs from the one an uncompressed-key wallet showed',
          );
        }
        const wallet = await service.importWallet(input, parsed.key);
        rt.output(opts, wallet, () =>
          table([
            ['signatureId', wallet.signatureId],
            ['address', wallet.address],
            ['chain', `${wallet.chain} (${wallet.network})`],
            ['keyOrigin', wallet.keyOrigin],
          ]),
        );
      } finally {
        parsed.key.fill(0);
      }
    });
}

/** chainArgument without echoing the value: a mistyped command line here may hold a key. */
function quietChain(value: string, globals: GlobalOptions): ChainId {
  try {
    return chainArgument(value, globals);
  } catch {
    throw usageError('chain', `not a supported chain (value not shown); supported: ${CHAIN_IDS.join(', ')}`);
  }
}
