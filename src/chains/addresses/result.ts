import type { DestinationFormat } from '../types.js';

/**
 * What a successful address decode yields. `outputScript` is set for Bitcoin-family addresses only;
 * `evmAddress` (the EIP-55 0x form a transaction carries) for EVM-family addresses only.
 */
export interface DecodedAddress {
  readonly format: DestinationFormat;
  readonly normalized: string;
  readonly outputScript?: Uint8Array;
  readonly evmAddress?: string;
}

export type DecodeOutcome =
  { readonly ok: true; readonly value: DecodedAddress } | { readonly ok: false; readonly reason: string };

export function decoded(
  format: DestinationFormat,
  normalized: string,
  outputScript?: Uint8Array,
  evmAddress?: string,
): DecodeOutcome {
  return {
    ok: true,
    value: {
      format,
      normalized,
      ...(outputScript === undefined ? {} : { outputScript }),
      ...(evmAddress === undefined ? {} : { evmAddress }),
    },
  };
}

export function rejected(reason: string): DecodeOutcome {
  return { ok: false, reason };
}

export function hex8(b: number): string {
  return `0x${b.toString(16).padStart(2, '0')}`;
}
