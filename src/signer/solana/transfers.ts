// What a Tatum SOL payload may do: native SOL transfers from the wallet, the wallet paying the fee and
// being the only signer. Anything else — another fee payer or signer, another program, another System
// instruction — is refused before KMS is called. (SPL token transfers are not signed yet: their Transfer
// instruction names token accounts but not the mint, so the asset cannot be proven from the message.)
import {
  getTransferSolInstructionDataDecoder,
  identifySystemInstruction,
  SYSTEM_PROGRAM_ADDRESS,
  SystemInstruction,
} from '@solana-program/system';
import type { Transfer } from '../prepared.js';
import { refuse } from '../types.js';
import type { LegacyMessage } from './message.js';

/** Base fee per signature, in lamports (docs.solana.com, "Transaction Fees"); no compute-budget instructions are allowed. */
export const LAMPORTS_PER_SIGNATURE = 5000n;

const TRANSFER_SOL_DATA_BYTES = 12; // u32 discriminator 2 ‖ u64 lamports

function isWritable(message: LegacyMessage, index: number): boolean {
  const { numSignerAccounts, numReadonlySignerAccounts, numReadonlyNonSignerAccounts } = message.header;
  return index < numSignerAccounts
    ? index < numSignerAccounts - numReadonlySignerAccounts
    : index < message.staticAccounts.length - numReadonlyNonSignerAccounts;
}

/** Checks signers and fee payer against `wallet` (base58) and returns the SOL each instruction moves. */
export function readTransfers(message: LegacyMessage, wallet: string): Transfer[] {
  const { header, staticAccounts, instructions } = message;
  if (new Set(staticAccounts).size !== staticAccounts.length) {
    refuse('MALFORMED_TRANSACTION', 'txData.accountKeys', 'lists an account twice');
  }
  if (staticAccounts[0] !== wallet) {
    refuse('SENDER_NOT_OURS', 'txData.feePayer', `is ${String(staticAccounts[0])}, not the wallet ${wallet}`);
  }
  if (header.numSignerAccounts !== 1 || header.numReadonlySignerAccounts !== 0) {
    refuse(
      'SENDER_NOT_OURS',
      'txData.header',
      `requires ${header.numSignerAccounts} signature(s); only the wallet may sign (and pay the fee)`,
    );
  }
  if (instructions.length === 0) refuse('UNSUPPORTED_TRANSACTION', 'txData.instructions', 'is empty');
  return instructions.map((instruction, i) => {
    const field = `txData.instructions[${i}]`;
    const program = staticAccounts[instruction.programAddressIndex];
    if (program !== SYSTEM_PROGRAM_ADDRESS) {
      refuse(
        'UNSUPPORTED_TRANSACTION',
        `${field}.program`,
        `is ${String(program)}; only System transfers are signed`,
      );
    }
    const data = Uint8Array.from(instruction.data ?? []);
    let kind: SystemInstruction | undefined;
    try {
      kind = identifySystemInstruction(data);
    } catch {
      kind = undefined;
    }
    if (kind !== SystemInstruction.TransferSol || data.length !== TRANSFER_SOL_DATA_BYTES) {
      refuse('UNSUPPORTED_TRANSACTION', `${field}.data`, 'is not a System TransferSol instruction');
    }
    const accounts = instruction.accountIndices ?? [];
    if (accounts.length !== 2)
      refuse('MALFORMED_TRANSACTION', `${field}.accounts`, 'a transfer names exactly source and destination');
    const [source, destination] = accounts as [number, number];
    if (source !== 0)
      refuse(
        'SENDER_NOT_OURS',
        `${field}.source`,
        `is ${String(staticAccounts[source])}, not the wallet ${wallet}`,
      );
    if (
      destination === 0 ||
      destination >= staticAccounts.length ||
      destination < header.numSignerAccounts ||
      !isWritable(message, destination)
    ) {
      refuse(
        'MALFORMED_TRANSACTION',
        `${field}.destination`,
        'must be a writable non-signer account other than the wallet',
      );
    }
    const { amount } = getTransferSolInstructionDataDecoder().decode(data);
    if (amount <= 0n) refuse('MALFORMED_TRANSACTION', `${field}.lamports`, 'must be positive');
    return { asset: 'native', to: staticAccounts[destination] as string, amount };
  });
}
