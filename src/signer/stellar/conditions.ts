// When and how a Stellar transaction may be applied. Only plain time bounds with an expiry are signed: a
// transaction without maxTime stays valid forever once signed (CAP-0021 keeps ledger bounds, minimum
// sequence and extra signers in PRECOND_V2, none of which Tatum uses — xlm.tx.ts calls setTimeout(300)).
import type { Transaction, xdr } from '@stellar/stellar-base';
import { refuse } from '../types.js';

export function checkConditions(envelopeTx: xdr.Transaction, tx: Transaction, nowSeconds: number): void {
  const kind = envelopeTx.cond().switch().name;
  if (kind !== 'precondTime') {
    refuse(
      'UNSUPPORTED_TRANSACTION',
      'cond',
      kind === 'precondNone'
        ? 'has no time bounds: a signed transaction would stay valid forever'
        : `is ${kind}; only time bounds are accepted as preconditions`,
    );
  }
  if (envelopeTx.ext().switch() !== 0) {
    refuse(
      'UNSUPPORTED_TRANSACTION',
      'ext',
      'carries Soroban transaction data; only classic payments are signed',
    );
  }
  const maxTime = BigInt(tx.timeBounds?.maxTime ?? '0');
  if (maxTime === 0n) {
    refuse(
      'UNSUPPORTED_TRANSACTION',
      'timeBounds.maxTime',
      'is 0 (no expiry): the transaction would stay valid forever',
    );
  }
  if (maxTime <= BigInt(nowSeconds)) {
    refuse('EXPIRED', 'timeBounds.maxTime', `expired at ${new Date(Number(maxTime) * 1000).toISOString()}`);
  }
}
