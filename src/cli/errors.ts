// Exit codes and the one-line error report of the CLI. Every failure becomes
// `kms-signer: <field>: <reason>` on stderr: no stack trace, no connection string credentials,
// nothing that looks like key material.
import { CommanderError } from 'commander';
import { ChainsError, UnsupportedChainError, UnsupportedNetworkError } from '../chains/index.js';
import { ConfigError, redact } from '../config/index.js';
import { DatabaseUnavailableError } from '../db/index.js';
import { WalletError } from '../wallets/contract.js';

export const EXIT = {
  OK: 0,
  FAILURE: 1,
  USAGE: 2,
  NOT_FOUND: 3,
  CONFLICT: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the CLI itself detected; `field` names the argument, option or setting at fault. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    readonly exitCode: ExitCode,
    readonly field: string,
    reason: string,
  ) {
    super(reason);
  }
}

export function usageError(field: string, reason: string): CliError {
  return new CliError(EXIT.USAGE, field, reason);
}

const WALLET_EXIT: Record<WalletError['code'], ExitCode> = {
  VALIDATION: EXIT.USAGE,
  NOT_FOUND: EXIT.NOT_FOUND,
  CONFLICT: EXIT.CONFLICT,
  IDEMPOTENCY_MISMATCH: EXIT.CONFLICT,
  INVALID_STATE: EXIT.CONFLICT,
  UNAVAILABLE: EXIT.FAILURE,
  QUOTA_EXCEEDED: EXIT.CONFLICT,
};

export interface Failure {
  exitCode: ExitCode;
  field: string;
  reason: string;
}

/** Maps anything thrown by a command to an exit code and a printable (scrubbed) reason. */
export function describeFailure(err: unknown): Failure {
  if (err instanceof CliError) return failure(err.exitCode, err.field, err.message);
  if (err instanceof WalletError)
    return failure(WALLET_EXIT[err.code], err.field ?? fieldOf(err), err.message);
  if (err instanceof UnsupportedChainError) return failure(EXIT.USAGE, 'chain', err.message);
  if (err instanceof UnsupportedNetworkError) return failure(EXIT.USAGE, 'network', err.message);
  if (err instanceof ChainsError) return failure(EXIT.USAGE, 'chain', err.message);
  if (err instanceof CommanderError) return failure(EXIT.USAGE, 'usage', err.message.replace(/^error: /, ''));
  if (err instanceof DatabaseUnavailableError) {
    return failure(EXIT.FAILURE, 'MongoDB', err.message.replace(/^MongoDB: /, ''));
  }
  if (err instanceof ConfigError) return failure(EXIT.USAGE, err.variable, err.message);
  if (err instanceof Error) return failure(EXIT.FAILURE, 'error', err.message || err.name);
  return failure(EXIT.FAILURE, 'error', String(err));
}

/** `<field>: <reason>` (the reason's own leading "<field>: " is not repeated). */
export function failureText({ field, reason }: Failure): string {
  const trimmed = reason.startsWith(`${field}: `) ? reason.slice(field.length + 2) : reason;
  return `${field}: ${trimmed}`;
}

/** The one line a failing command prints: `kms-signer: <field>: <reason>`. */
export function formatFailure(failure: Failure): string {
  return `kms-signer: ${failureText(failure)}`;
}

function failure(exitCode: ExitCode, field: string, reason: string): Failure {
  return { exitCode, field, reason: scrub(reason) };
}

const WALLET_FIELD: Record<WalletError['code'], string> = {
  VALIDATION: 'invalid',
  NOT_FOUND: 'not found',
  CONFLICT: 'conflict',
  IDEMPOTENCY_MISMATCH: 'conflict',
  INVALID_STATE: 'invalid state',
  UNAVAILABLE: 'unavailable',
  QUOTA_EXCEEDED: 'quota exceeded',
};

function fieldOf(err: WalletError): string {
  return WALLET_FIELD[err.code];
}

/**
 * Runs a service call about one identifier (a signatureId, a batchId): a WalletError that names no
 * field is reported against that identifier, e.g. `kms-signer: signatureId: no such wallet (…)`.
 */
export async function about<T>(field: string, value: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    if (err instanceof WalletError && err.field === undefined) {
      throw new WalletError(err.code, `${err.message} (${value})`, field);
    }
    throw err;
  }
}

const HEX_32_BYTES = /(?<![0-9a-f])(?:0x)?[0-9a-f]{64}(?![0-9a-f])/gi;

/**
 * Makes any text safe to print: connection strings and URL credentials are redacted (src/config/redact),
 * 32-byte hex runs (what a private key looks like) become `[redacted]`, and line breaks become spaces
 * so that one failure is one line.
 */
export function scrub(text: string): string {
  return redact(text)
    .replace(HEX_32_BYTES, '[redacted]')
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim();
}
