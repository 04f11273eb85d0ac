// Reads bitcore-lib's Script.toString() form ("OP_DUP OP_HASH160 20 0x89ab… OP_EQUALVERIFY OP_CHECKSIG",
// or plain hex), which Tatum's payload uses for `changeScript`, back into script bytes.
import { opcodes } from 'bitcoinjs-lib';
import { hexToBytes } from './model.js';

const PUSHDATA_LENGTH_BYTES: Readonly<Record<string, number>> = {
  OP_PUSHDATA1: 1,
  OP_PUSHDATA2: 2,
  OP_PUSHDATA4: 4,
};

/** Script bytes, or undefined when `text` is neither hex nor bitcore's script string form. */
export function bitcoreScriptBytes(text: string): Uint8Array | undefined {
  const hex = hexToBytes(text);
  if (hex !== undefined) return hex;
  const tokens = text.split(' ');
  const out: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    const lengthBytes = PUSHDATA_LENGTH_BYTES[token];
    const opcode = opcodeNumber(token);
    if (lengthBytes !== undefined && opcode !== undefined) {
      const data = pushData(tokens[i + 1], tokens[i + 2]);
      if (data === undefined) return undefined;
      out.push(opcode, ...littleEndian(data.length, lengthBytes), ...data);
      i += 2;
    } else if (opcode !== undefined) {
      out.push(opcode);
    } else {
      const data = pushData(token, tokens[i + 1]);
      if (data === undefined || data.length < 1 || data.length > 75) return undefined;
      out.push(data.length, ...data);
      i += 1;
    }
  }
  return Uint8Array.from(out);
}

function opcodeNumber(token: string): number | undefined {
  if (!token.startsWith('OP_')) return undefined;
  const value: unknown = (opcodes as unknown as Record<string, unknown>)[token];
  return typeof value === 'number' ? value : undefined;
}

/** `<decimal length> 0x<hex>` → the data, when the length matches. */
function pushData(lengthToken: string | undefined, dataToken: string | undefined): Uint8Array | undefined {
  if (lengthToken === undefined || !/^\d+$/.test(lengthToken) || !dataToken?.startsWith('0x'))
    return undefined;
  const data = hexToBytes(dataToken.slice(2));
  return data?.length === Number(lengthToken) ? data : undefined;
}

function littleEndian(value: number, bytes: number): number[] {
  return Array.from({ length: bytes }, (_, i) => Math.floor(value / 256 ** i) % 256);
}
