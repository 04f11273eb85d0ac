// Spaces GetParametersForImport calls (KMS's own quota for them is low), in a module of its own so the
// wallet service builds it without loading the import code (issue 16: the API's init code).
import { sleep } from './context.js';

/** GetParametersForImport has a 0.25 rps quota: one call per 4 s by default. */
export class ImportPacer {
  private next = 0;
  constructor(private readonly perSecond = 0.25) {}
  async wait(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.next);
    this.next = at + 1000 / this.perSecond;
    if (at > now) await sleep(at - now);
  }
}
