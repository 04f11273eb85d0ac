import { BSON, Binary } from 'mongodb';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../src/tatum/audit.js';
import { carriedRecord, carryAudit } from '../../../src/tatum/carried-audit.js';

const record: AuditRecord = {
  _id: 'job-1:final',
  pendingId: 'job-1',
  chain: 'ETH',
  network: 'testnet',
  runner: 'runner-a',
  wallets: ['w-1'],
  kmsKeyIds: ['key-1'],
  decoded: {
    chain: 'ETH',
    network: 'testnet',
    transfers: [{ to: '0x8ba1f109551bd432803012645ac136ddd64dba72', asset: 'native', amount: '1000' }],
    unrecognized: null,
    fee: '21000',
    nonce: '7',
    digests: [{ keyId: 'key-1', digest: 'ab'.repeat(32), inputIndex: 0 }],
  },
  digests: [{ keyId: 'key-1', digest: 'ab'.repeat(32), inputIndex: 0 }],
  fourEye: { checked: false, ok: true, detail: 'not configured (testnet)' },
  policy: null,
  txId: '0x' + 'cd'.repeat(32),
  rebroadcast: false,
  startedAt: new Date('2026-12-04T21:00:00.123Z'),
  outcome: 'BROADCAST',
  error: null,
  finishedAt: new Date('2026-12-04T21:00:00.456Z'),
  round: 2,
};

describe('carried final audit records', () => {
  it('keeps _id and finishedAt as fields (the reconciler selects by them) and the record as bytes', () => {
    const carried = carryAudit(record);
    expect(carried._id).toBe(record._id);
    expect(carried.finishedAt).toEqual(record.finishedAt);
    expect(carried.record).toBeInstanceOf(Binary);
  });

  it('gives back the record type for type, also after a trip through BSON as MongoDB stores it', () => {
    const stored = BSON.deserialize(BSON.serialize({ finalAudit: carryAudit(record) })) as {
      finalAudit: ReturnType<typeof carryAudit>;
    };
    const back = carriedRecord(stored.finalAudit);
    expect(back).toEqual(record);
    expect(back.startedAt).toBeInstanceOf(Date);
    expect(Object.keys(back)).toEqual(Object.keys(record));
  });

  it('passes a record carried as a plain document (jobs finished by earlier versions) through unchanged', () => {
    expect(carriedRecord(record)).toBe(record);
  });
});
