// What an EGLD transaction moves, from its value and data field. A plain transfer has an empty data
// field; a fungible ESDT transfer is `ESDTTransfer@<token identifier, hex>@<amount, hex>` with value 0
// (docs.multiversx.com/tokens/fungible-tokens, "Transfers"). Any other data (a contract call, a note)
// is reported as unrecognized, and policy denies it.
import type { Transfer } from '../prepared.js';
import { refuse } from '../types.js';

/** Token identifiers: ticker (3–10 uppercase alphanumerics), "-", six random hex digits. */
const TOKEN_IDENTIFIER = /^[A-Z0-9]{3,10}-[0-9a-f]{6}$/;
const HEX_ARGUMENT = /^(?:[0-9a-f]{2})+$/;

export interface EgldMovement {
  transfers: Transfer[];
  unrecognized: string | null;
}

export function readEgldTransfers(value: bigint, data: Uint8Array, receiver: string): EgldMovement {
  if (data.length === 0) {
    if (value === 0n)
      refuse('MALFORMED_TRANSACTION', 'value', 'is 0 and there is no data: the transaction moves nothing');
    return { transfers: [{ asset: 'native', to: receiver, amount: value }], unrecognized: null };
  }
  const text = Buffer.from(data).toString('utf8');
  const parts = text.split('@');
  if (parts[0] === 'ESDTTransfer') {
    const [, tokenHex = '', amountHex = ''] = parts;
    const token = HEX_ARGUMENT.test(tokenHex) ? Buffer.from(tokenHex, 'hex').toString('latin1') : '';
    if (parts.length !== 3 || !TOKEN_IDENTIFIER.test(token) || !HEX_ARGUMENT.test(amountHex)) {
      refuse('MALFORMED_TRANSACTION', 'data', 'is not ESDTTransfer@<token identifier hex>@<amount hex>');
    }
    const amount = BigInt(`0x${amountHex}`);
    if (amount === 0n) refuse('MALFORMED_TRANSACTION', 'data', 'transfers 0 tokens');
    if (value !== 0n) refuse('MALFORMED_TRANSACTION', 'value', 'must be 0 in an ESDT transfer');
    return { transfers: [{ asset: token, to: receiver, amount }], unrecognized: null };
  }
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return {
    transfers: value > 0n ? [{ asset: 'native', to: receiver, amount: value }] : [],
    unrecognized: `data field ${JSON.stringify(shown)} is neither empty nor an ESDTTransfer`,
  };
}
