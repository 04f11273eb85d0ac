// A RUNNING batch/operation read just before its runner finished must not be shown as PAUSED: the runner
// writes its final status before it lets go, so the document is read again before PAUSED is said.
import { describe, expect, it } from 'vitest';
import { presentedDoc } from '../../../src/wallets/resumable-status.js';

type Doc = { _id: string; status: 'RUNNING' | 'PAUSED' | 'COMPLETED' | 'FAILED'; created: number };
const running: Doc = { _id: 'b1', status: 'RUNNING', created: 4 };

function runner(opts: { here?: boolean; holder?: boolean; fresh?: Doc | null }) {
  let rereads = 0;
  return {
    rereads: () => rereads,
    state: {
      runningHere: opts.here ?? false,
      hasClaimHolder: () => Promise.resolve(opts.holder ?? false),
      reread: () => {
        rereads += 1;
        return Promise.resolve(opts.fresh ?? null);
      },
    },
  };
}

describe('presentedDoc', () => {
  it('shows the final status a runner wrote after our read, not PAUSED', async () => {
    const r = runner({ fresh: { ...running, status: 'FAILED', created: 4 } });
    expect(await presentedDoc(running, r.state)).toEqual({ _id: 'b1', status: 'FAILED', created: 4 });
  });

  it('shows PAUSED when the fresh document is still RUNNING with nobody running it', async () => {
    const r = runner({ fresh: { ...running, created: 5 } });
    expect(await presentedDoc(running, r.state)).toEqual({ _id: 'b1', status: 'PAUSED', created: 5 });
  });

  it('leaves a document run here or under a live claim as it is, without reading it again', async () => {
    for (const r of [runner({ here: true }), runner({ holder: true })]) {
      expect(await presentedDoc(running, r.state)).toBe(running);
      expect(r.rereads()).toBe(0);
    }
    const done: Doc = { ...running, status: 'COMPLETED' };
    expect(await presentedDoc(done, runner({}).state)).toBe(done);
  });
});
