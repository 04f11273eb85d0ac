// tatum-kms commands that have no counterpart here: each explains why and what to use instead, so a
// tatum-kms user gets an answer rather than "unknown command". Hidden from the help listing.
import type { Command } from 'commander';
import { usageError } from '../errors.js';

const NOT_HERE: Record<string, string> = {
  getprivatekey:
    'private keys never leave AWS KMS, so no command can show one; use getaddress or getmanagedwallet for public data',
  generatewallet:
    'kms-signer keeps one KMS key per wallet and has no mnemonic or xpub; use generatemanagedwallet <chain>',
  storemanagedwallet:
    'mnemonics are not imported (KMS holds single keys, not HD seeds); import single keys with storemanagedprivatekey <chain>',
};

export function registerTatumCompatCommands(program: Command): void {
  for (const [name, reason] of Object.entries(NOT_HERE)) {
    program
      .command(name, { hidden: true })
      .allowUnknownOption(true)
      .allowExcessArguments(true)
      .action(() => {
        throw usageError(name, `not available: ${reason}`);
      });
  }
}
