import { describe, expect, it } from 'vitest';
import { GroupCommit, type GroupCommitOptions } from '../../../src/util/group-commit.js';

/** A writer whose batches finish only when the test lets them; it records what it was given. */
function heldWriter() {
  const batches: number[][] = [];
  const pending: (() => void)[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const write = (items: number[]) => {
    batches.push(items);
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    return new Promise<(number | Error)[]>((resolve) => {
      pending.push(() => {
        inFlight--;
        resolve(items.map((n) => (n < 0 ? new Error(`refused ${String(n)}`) : n * 10)));
      });
    });
  };
  return {
    write,
    batches,
    mostInFlight: () => mostInFlight,
    /** Finishes the oldest batch still being written. */
    finishOne: async () => {
      pending.shift()?.();
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

function commit(writer: ReturnType<typeof heldWriter>, options: Partial<GroupCommitOptions>) {
  return new GroupCommit<number, number>(writer.write, { windowMs: 10_000, maxBatch: 3, ...options });
}

describe('GroupCommit', () => {
  it('sends a full batch at once and answers each caller with its own result or error', async () => {
    const writer = heldWriter();
    const group = commit(writer, {});
    const results = [1, -2, 3].map((n) => group.add(n).catch((e: unknown) => (e as Error).message));
    await settle();
    expect(writer.batches).toEqual([[1, -2, 3]]);
    await writer.finishOne();
    expect(await Promise.all(results)).toEqual([10, 'refused -2', 30]);
  });

  it('writes one batch at a time by default; what arrives meanwhile forms the next batch', async () => {
    const writer = heldWriter();
    const group = commit(writer, {});
    const all = [1, 2, 3, 4, 5, 6].map((n) => group.add(n));
    await settle();
    expect(writer.batches).toEqual([[1, 2, 3]]);
    await writer.finishOne();
    expect(writer.batches).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    await writer.finishOne();
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(writer.mostInFlight()).toBe(1);
  });

  it('writes up to maxInFlight batches at the same time', async () => {
    const writer = heldWriter();
    const group = commit(writer, { maxInFlight: 2 });
    const all = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => group.add(n));
    await settle();
    expect(writer.batches).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    await writer.finishOne();
    expect(writer.batches.at(-1)).toEqual([7, 8, 9]);
    await writer.finishOne();
    await writer.finishOne();
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(writer.mostInFlight()).toBe(2);
  });

  it('asks flushNow with the items queued plus those being written', async () => {
    const writer = heldWriter();
    const asked: number[] = [];
    // Four callers in all: the queued ones go as soon as every caller is either queued or being written.
    const group = commit(writer, {
      maxInFlight: 2,
      flushNow: (waiting) => {
        asked.push(waiting);
        return waiting >= 4;
      },
    });
    const first = [1, 2, 3].map((n) => group.add(n)); // full batch, goes at once
    await settle();
    const fourth = group.add(4);
    await settle();
    expect(asked.at(-1)).toBe(4);
    expect(writer.batches).toEqual([[1, 2, 3], [4]]);
    await writer.finishOne();
    await writer.finishOne();
    expect(await Promise.all([...first, fourth])).toEqual([10, 20, 30, 40]);
  });

  it('sends a lone item after the window', async () => {
    const writer = heldWriter();
    const group = commit(writer, { windowMs: 5 });
    const one = group.add(1);
    await settle();
    expect(writer.batches).toEqual([]);
    await new Promise((r) => setTimeout(r, 20));
    expect(writer.batches).toEqual([[1]]);
    await writer.finishOne();
    expect(await one).toBe(10);
  });
});
