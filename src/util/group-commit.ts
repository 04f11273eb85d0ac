// Group commit: callers each add one item and wait for its own result, and the items are written together —
// one database command for many callers. A batch goes when it is full, when `flushNow` says nobody else
// will add soon (e.g. every running job is waiting on it), or `windowMs` after its first item; at most
// `maxInFlight` batches are being written at a time (default 1), and what arrives meanwhile forms the next.

export interface GroupCommitOptions {
  /** Longest an item waits for company before its batch goes (ms). */
  windowMs: number;
  maxBatch: number;
  /** Batches written at the same time (default 1). Items of one caller must not depend on each other. */
  maxInFlight?: number;
  /** Asked with the number of items queued or being written: true sends the queued ones at once. */
  flushNow?: (waiting: number) => boolean;
}

interface Queued<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/** `write` returns one result per item, in order; an Error in a slot rejects that item alone. */
export type BatchWriter<T, R> = (items: T[]) => Promise<(R | Error)[]>;

export class GroupCommit<T, R> {
  private queue: Queued<T, R>[] = [];
  private firstQueuedAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Batches being written and the items in them. */
  private writing = 0;
  private writingItems = 0;

  constructor(
    private readonly write: BatchWriter<T, R>,
    private readonly options: GroupCommitOptions,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (this.queue.length === 0) this.firstQueuedAt = performance.now();
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Looks again whether the queued items should go now (call when what `flushNow` reads changed). */
  poke(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.writing >= (this.options.maxInFlight ?? 1) || this.queue.length === 0) return;
    const queued = this.queue.length;
    if (queued >= this.options.maxBatch || this.options.flushNow?.(queued + this.writingItems) === true) {
      this.start();
      return;
    }
    if (this.timer !== undefined) return;
    const waited = performance.now() - this.firstQueuedAt;
    this.timer = setTimeout(
      () => {
        this.start();
      },
      Math.max(0, this.options.windowMs - waited),
    );
  }

  private start(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue.splice(0, this.options.maxBatch);
    if (this.queue.length > 0) this.firstQueuedAt = performance.now();
    this.writing++;
    this.writingItems += batch.length;
    void this.run(batch).finally(() => {
      this.writing--;
      this.writingItems -= batch.length;
      this.schedule();
    });
  }

  private async run(batch: Queued<T, R>[]): Promise<void> {
    let results: (R | Error)[];
    try {
      results = await this.write(batch.map((queued) => queued.item));
    } catch (error) {
      for (const queued of batch) queued.reject(error);
      return;
    }
    batch.forEach((queued, index) => {
      const result = results[index];
      if (result instanceof Error) queued.reject(result);
      else if (result === undefined) queued.reject(new Error('group commit: no result for an item'));
      else queued.resolve(result);
    });
  }
}
