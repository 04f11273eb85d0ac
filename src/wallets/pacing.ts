// Pacing of CreateKey on the wire. The vault's limiter counts calls at its gate, but KMS counts them
// when they arrive, and the milliseconds between the two vary (signing, serialisation, a busy event
// loop): measured with the limiter alone, a 1-second window on the wire saw 6 CreateKey calls (the 6th
// 980-991 ms after the 1st). So the KMS client itself spaces CreateKey requests, in the last middleware
// before the request is sent, 1/rate seconds apart plus a small guard.
import type { KMSClient } from '@aws-sdk/client-kms';
import { sleep } from './context.js';

export class Pacer {
  static readonly GUARD_MS = 10;
  private next = 0;

  constructor(private readonly perSecond: number) {
    if (!(perSecond > 0) || !Number.isFinite(perSecond)) {
      throw new RangeError('pace must be a positive number per second');
    }
  }

  /** Resolves when the next call may start; calls are served in order. */
  async wait(): Promise<void> {
    const now = performance.now();
    const at = Math.max(now, this.next);
    this.next = at + 1000 / this.perSecond + Pacer.GUARD_MS;
    if (at > now) await sleep(at - now);
  }
}

const MIDDLEWARE_NAME = 'kmsSignerCreateKeyPacer';

/** The pacer each client's middleware consults, so installing again swaps the pacer, not the middleware. */
const pacers = new WeakMap<KMSClient, Pacer>();

/**
 * Makes `kms` send at most `perSecond` CreateKey requests per second (every CreateKey of the process,
 * batches, single creates and imports alike, whoever sends them). Installing again replaces the pace —
 * also after CreateKey requests were sent, when the client's cached middleware (cacheMiddleware) would
 * not see a newly added one.
 */
export function paceCreateKey(kms: KMSClient, perSecond: number): void {
  const installed = pacers.has(kms);
  pacers.set(kms, new Pacer(perSecond));
  if (installed) return;
  kms.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'CreateKeyCommand') await pacers.get(kms)?.wait();
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: MIDDLEWARE_NAME, override: true },
  );
}
