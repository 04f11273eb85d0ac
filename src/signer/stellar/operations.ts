// What a Tatum XLM payload may do: payments (native XLM or a credit asset) and createAccount, every one
// from the wallet's account, which is also the transaction's source and fee payer. Everything else
// (changeTrust, path payments, account merges, Soroban…) is refused before KMS is called: tatum-js v2
// xlm.tx.ts builds exactly these two operations for transfers (changeTrust is a trust-line set-up that
// moves nothing and is not signed yet).
import { type Memo, type Operation, type Transaction } from '@stellar/stellar-base';
import type { Transfer } from '../prepared.js';
import { refuse } from '../types.js';
import { decodeStellarAddress } from '../../chains/addresses/stellar.js';

/** Stellar's limit on operations per transaction (MAX_OPS_PER_TX). */
const MAX_OPERATIONS = 100;
/** stellar-base prints amounts with exactly 7 decimals (1 XLM = 10^7 stroops). */
const AMOUNT = /^(\d+)\.(\d{7})$/;

function stroops(amount: string, field: string): bigint {
  const match = AMOUNT.exec(amount);
  if (!match) refuse('MALFORMED_TRANSACTION', field, `is ${amount}, not a Stellar amount`);
  const value = BigInt(match[1] ?? '') * 10_000_000n + BigInt(match[2] ?? '');
  if (value <= 0n) refuse('MALFORMED_TRANSACTION', field, 'must be positive');
  return value;
}

function destination(address: string, field: string): string {
  const decoded = decodeStellarAddress(address);
  if (!decoded.ok) refuse('UNSUPPORTED_TRANSACTION', field, decoded.reason);
  return decoded.value.normalized;
}

/** The memo as the destination reads it: text as UTF-8, id in decimal, hash / return as hex. */
export function memoText(memo: Memo): string | undefined {
  const value: unknown = memo.value;
  if (memo.type === 'none' || value === null) return undefined;
  if (memo.type === 'id') return value as string;
  return memo.type === 'text'
    ? Buffer.from(value as Buffer).toString('utf8')
    : Buffer.from(value as Buffer).toString('hex');
}

function readOperation(op: Operation, i: number, wallet: string, memo: string | undefined): Transfer {
  const field = `operations[${i}]`;
  if (op.source !== undefined && op.source !== wallet) {
    refuse('SENDER_NOT_OURS', `${field}.source`, `is ${op.source}, not the wallet ${wallet}`);
  }
  const withMemo = (t: Transfer): Transfer => (memo === undefined ? t : { ...t, memo });
  switch (op.type) {
    case 'payment': {
      const asset = op.asset.isNative() ? 'native' : `${op.asset.getCode()}:${op.asset.getIssuer()}`;
      const to = destination(op.destination, `${field}.destination`);
      return withMemo({ asset, to, amount: stroops(op.amount, `${field}.amount`) });
    }
    case 'createAccount': {
      const to = destination(op.destination, `${field}.destination`);
      return withMemo({
        asset: 'native',
        to,
        amount: stroops(op.startingBalance, `${field}.startingBalance`),
      });
    }
    default:
      refuse(
        'UNSUPPORTED_TRANSACTION',
        `${field}.type`,
        `is ${op.type}; only payment and createAccount operations are signed`,
      );
  }
}

/** Checks the source account and returns what each operation moves out of the wallet. */
export function readTransfers(tx: Transaction, wallet: string): Transfer[] {
  if (tx.source !== wallet) {
    refuse('SENDER_NOT_OURS', 'sourceAccount', `is ${tx.source}, not the wallet ${wallet}`);
  }
  const { operations } = tx;
  if (operations.length === 0 || operations.length > MAX_OPERATIONS) {
    refuse(
      'MALFORMED_TRANSACTION',
      'operations',
      `has ${operations.length}; 1 to ${MAX_OPERATIONS} are allowed`,
    );
  }
  const memo = memoText(tx.memo);
  return operations.map((op, i) => readOperation(op, i, wallet, memo));
}
