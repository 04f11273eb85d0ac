// The final audit record a job carries in its own final update (job-writes.ts) until the reconciler has
// copied it into `signing_audit` (audit-repair.ts). Its _id and finish time stay fields, because the
// reconciler selects and clears by them; the record itself is its BSON bytes — what the driver would have
// stored for it, so the copy is the same record, type for type. One opaque value instead of a nested
// document: FerretDB re-encodes a document field by field on every update, and the nested record was half
// of a finished job (database CPU per job at 300/s: −0.8 ms of ≈ 5 on FerretDB/PostgreSQL, session 27).
import { BSON, Binary } from 'mongodb';
import type { AuditRecord } from './audit.js';

export interface CarriedAudit {
  _id: string;
  finishedAt: Date;
  record: Binary;
}

export function carryAudit(record: AuditRecord): CarriedAudit {
  return { _id: record._id, finishedAt: record.finishedAt, record: new Binary(BSON.serialize(record)) };
}

/** The record a job carries; jobs finished before session 27 carry it as a plain document. */
export function carriedRecord(carried: CarriedAudit | AuditRecord): AuditRecord {
  if (!('record' in carried && carried.record instanceof Binary)) return carried as AuditRecord;
  return BSON.deserialize(carried.record.buffer) as AuditRecord;
}
