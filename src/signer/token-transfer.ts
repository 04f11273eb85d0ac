// The one token call both EVM (ERC-20) and TRON (TRC-20) transfers use: transfer(address,uint256).
const TRANSFER_SELECTOR = 'a9059cbb';

/**
 * Decodes `transfer(address,uint256)` call data (hex, with or without 0x). Returns the recipient as 20-byte
 * lowercase hex (no prefix) and the amount, or undefined for any other call or a malformed encoding.
 */
export function decodeTokenTransfer(data: string): { to: string; amount: bigint } | undefined {
  const body = data.replace(/^0x/i, '').toLowerCase();
  if (body.length !== 8 + 128 || !body.startsWith(TRANSFER_SELECTOR) || !/^[0-9a-f]+$/.test(body)) {
    return undefined;
  }
  const addressWord = body.slice(8, 72);
  if (!addressWord.startsWith('0'.repeat(24))) return undefined;
  return { to: addressWord.slice(24), amount: BigInt(`0x${body.slice(72)}`) };
}
