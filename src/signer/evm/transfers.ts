// What an EVM transaction moves: its native value to `to`, and an ERC-20 transfer(to, amount) in its data.
import type { Transaction } from 'ethers';
import type { Transfer } from '../prepared.js';
import { decodeTokenTransfer } from '../token-transfer.js';

export function evmTransfers(tx: Transaction): { transfers: Transfer[]; unrecognized: string | null } {
  const to = tx.to?.toLowerCase();
  if (to === undefined) return { transfers: [], unrecognized: 'contract creation' };
  const transfers: Transfer[] = [];
  if (tx.value > 0n) transfers.push({ asset: 'native', to, amount: tx.value });
  if (tx.data === '0x') return { transfers, unrecognized: null };
  const token = decodeTokenTransfer(tx.data);
  if (token === undefined) {
    return { transfers, unrecognized: 'contract call other than transfer(address,uint256)' };
  }
  transfers.push({ asset: to, to: `0x${token.to}`, amount: token.amount });
  return { transfers, unrecognized: null };
}
