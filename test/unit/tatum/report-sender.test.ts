// Failure reports after Tatum refused the batch (report-sender.ts), against a fake reportErrors that
// answers like Tatum: a batch naming a refused id → 403 kms.missing; other answers as the test sets them.
import { describe, expect, it } from 'vitest';
import { TatumApiError } from '../../../src/tatum/errors.js';
import type { FailureReport } from '../../../src/tatum/failure-reports.js';
import { sendFailureReports } from '../../../src/tatum/report-sender.js';

const reports = (n: number): FailureReport[] =>
  Array.from({ length: n }, (_, i) => ({ signatureId: `id-${i}`, error: `reason ${i}` }));

function missing(id: string): TatumApiError {
  const error = new TatumApiError(`Tatum POST /v3/tatum/kms/batch: HTTP 403`, 403, false);
  error.answer = { errorCode: 'kms.missing', message: `No such KMS signature with id '${id}'.` };
  return error;
}

/** A fake Tatum: refuses batches naming one of `refused`; `answer(call)` may fail a call first. */
function fakeTatum(
  refused: readonly string[],
  answer: (call: number) => Error | undefined = () => undefined,
) {
  const calls: string[][] = [];
  const accepted: string[] = [];
  const send = (batch: readonly FailureReport[]): Promise<void> => {
    const ids = batch.map((r) => r.signatureId);
    calls.push(ids);
    const failure = answer(calls.length);
    if (failure) return Promise.reject(failure);
    const bad = ids.find((id) => refused.includes(id));
    if (bad !== undefined) return Promise.reject(missing(bad));
    accepted.push(...ids);
    return Promise.resolve();
  };
  return { send, calls, accepted };
}

describe('sendFailureReports', () => {
  it('an accepted batch is one call, every entry accepted', async () => {
    const tatum = fakeTatum([]);
    const sent = await sendFailureReports(tatum.send, reports(5));
    expect(tatum.calls).toHaveLength(1);
    expect(sent.accepted.map((r) => r.signatureId)).toEqual(tatum.accepted);
    expect(sent.refused).toEqual([]);
    expect(sent.kept).toEqual([]);
  });

  it('one refused id: the batch is re-sent entry by entry, the others accepted, that one refused', async () => {
    const tatum = fakeTatum(['id-2']);
    const sent = await sendFailureReports(tatum.send, reports(5));
    expect(tatum.calls).toEqual([
      ['id-0', 'id-1', 'id-2', 'id-3', 'id-4'],
      ['id-0'],
      ['id-1'],
      ['id-2'],
      ['id-3'],
      ['id-4'],
    ]);
    expect(sent.accepted.map((r) => r.signatureId)).toEqual(['id-0', 'id-1', 'id-3', 'id-4']);
    expect(sent.refused).toHaveLength(1);
    expect(sent.refused[0]?.report).toEqual({ signatureId: 'id-2', error: 'reason 2' });
    expect(sent.refused[0]?.refusal).toMatchObject({ status: 403, answer: { errorCode: 'kms.missing' } });
    expect(sent.kept).toEqual([]);
  });

  it('a batch of one refused is dropped without another call', async () => {
    const tatum = fakeTatum(['id-0']);
    const sent = await sendFailureReports(tatum.send, reports(1));
    expect(tatum.calls).toHaveLength(1);
    expect(sent.refused.map((r) => r.report.signatureId)).toEqual(['id-0']);
  });

  it.each([
    ['HTTP 500', new TatumApiError('HTTP 500', 500, true)],
    ['HTTP 429', new TatumApiError('HTTP 429', 429, true)],
    ['HTTP 401 (credentials)', new TatumApiError('HTTP 401', 401, false)],
    ['HTTP 402 (billing)', new TatumApiError('HTTP 402', 402, false)],
    ['HTTP 407 (proxy)', new TatumApiError('HTTP 407', 407, false)],
    ['HTTP 408 (timeout)', new TatumApiError('HTTP 408', 408, false)],
    ['a network error', new TatumApiError('network error: ECONNRESET', undefined, true)],
    ['a timeout', new TatumApiError('timed out after 30000 ms', undefined, true)],
    ['anything else', new Error('socket hang up')],
  ])('%s on the batch keeps every entry for the next pass, no single calls', async (_name, failure) => {
    const tatum = fakeTatum(['id-1'], (call) => (call === 1 ? failure : undefined));
    const sent = await sendFailureReports(tatum.send, reports(3));
    expect(tatum.calls).toHaveLength(1);
    expect(sent.kept.map((r) => r.signatureId)).toEqual(['id-0', 'id-1', 'id-2']);
    expect(sent.temporary).toBe(failure);
    expect(sent.accepted).toEqual([]);
    expect(sent.refused).toEqual([]);
  });

  it('a temporary answer to a single call stops the pass: the rest is kept', async () => {
    const outage = new TatumApiError('HTTP 503', 503, true);
    const tatum = fakeTatum(['id-0'], (call) => (call === 4 ? outage : undefined));
    const sent = await sendFailureReports(tatum.send, reports(5));
    expect(tatum.calls).toEqual([['id-0', 'id-1', 'id-2', 'id-3', 'id-4'], ['id-0'], ['id-1'], ['id-2']]);
    expect(sent.refused.map((r) => r.report.signatureId)).toEqual(['id-0']);
    expect(sent.accepted.map((r) => r.signatureId)).toEqual(['id-1']);
    expect(sent.kept.map((r) => r.signatureId)).toEqual(['id-2', 'id-3', 'id-4']);
    expect(sent.temporary).toBe(outage);
  });

  it('at most 100 single calls per pass; the entries not tried wait for the next pass', async () => {
    const tatum = fakeTatum(['id-7']);
    const sent = await sendFailureReports(tatum.send, reports(150));
    expect(tatum.calls).toHaveLength(1 + 100);
    expect(sent.accepted).toHaveLength(99);
    expect(sent.refused).toHaveLength(1);
    expect(sent.kept.map((r) => r.signatureId)).toEqual(
      reports(150)
        .slice(100)
        .map((r) => r.signatureId),
    );
    expect(sent.temporary).toBeUndefined();
  });
});
