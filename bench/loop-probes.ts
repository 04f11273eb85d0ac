// Timers around the signing loop's dependencies, so the throughput benchmark can say where a
// transaction's time goes without touching product code: each job (SigningLoop.processOne, from the
// job's start to the stored broadcast and the release; lookups and claims go per page), each DigestSigner call (the vault's
// limiter, KMS round trips, retries and verification), each Sign request on the wire, each Tatum call
// and each MongoDB command.
import type { KMSClient } from '@aws-sdk/client-kms';
import type { CommandFailedEvent, CommandStartedEvent, CommandSucceededEvent, MongoClient } from 'mongodb';
import type { DigestSigner } from '../src/signer/index.js';
import { SigningLoop, type JobOutcome } from '../src/tatum/loop.js';
import type { TatumKmsApi } from '../src/tatum/types.js';

export interface Probe {
  count: number;
  totalMs: number;
}

export interface JobTiming {
  id: string;
  outcome: JobOutcome;
  ms: number;
}

export interface LoopProbes {
  jobs: JobTiming[];
  sign: Probe;
  /** Sign HTTP attempts, from the request leaving the SDK to its response reaching this thread. */
  kmsHttp: Probe;
  broadcast: Probe;
  mongo: Probe;
  /** MongoDB commands by "<command> <collection>", e.g. "find claims". */
  mongoByCommand: Map<string, Probe>;
  retries: { all: number; throttling: number };
  reset(): void;
}

export function loopProbes(): LoopProbes {
  const probes: LoopProbes = {
    jobs: [],
    sign: { count: 0, totalMs: 0 },
    kmsHttp: { count: 0, totalMs: 0 },
    broadcast: { count: 0, totalMs: 0 },
    mongo: { count: 0, totalMs: 0 },
    mongoByCommand: new Map(),
    retries: { all: 0, throttling: 0 },
    reset() {
      probes.mongoByCommand.clear();
      probes.jobs = [];
      for (const probe of [probes.sign, probes.kmsHttp, probes.broadcast, probes.mongo]) {
        probe.count = 0;
        probe.totalMs = 0;
      }
      probes.retries = { all: 0, throttling: 0 };
    },
  };
  return probes;
}

async function timed<T>(probe: Probe, run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await run();
  } finally {
    probe.count++;
    probe.totalMs += performance.now() - start;
  }
}

export function timedSigner(inner: DigestSigner, probe: Probe): DigestSigner {
  return {
    signDigest: (keyId, digest, publicKey) => timed(probe, () => inner.signDigest(keyId, digest, publicKey)),
  };
}

export function timedBroadcasts(inner: TatumKmsApi, probe: Probe): TatumKmsApi {
  return {
    ...inner,
    broadcast: (pending, signed) => timed(probe, () => inner.broadcast(pending, signed)),
  };
}

/** Times every Sign request in the last middleware before the HTTP handler. */
export function timeSignRequests(client: KMSClient, probe: Probe): void {
  client.middlewareStack.add(
    (next, context) => (args) =>
      context.commandName === 'SignCommand' ? timed(probe, () => next(args)) : next(args),
    { step: 'deserialize', priority: 'low', name: 'benchSignTimer' },
  );
}

/** Needs a client built with `monitorCommands: true`. Returns a function that stops the timing. */
export function timeMongoCommands(client: MongoClient, probes: LoopProbes): () => void {
  const names = new Map<number, string>();
  const started = (event: CommandStartedEvent) => {
    const collection: unknown = event.command[event.commandName];
    names.set(event.requestId, `${event.commandName} ${typeof collection === 'string' ? collection : ''}`);
  };
  const ended = (event: CommandSucceededEvent | CommandFailedEvent) => {
    const name = names.get(event.requestId) ?? '?';
    names.delete(event.requestId);
    let byName = probes.mongoByCommand.get(name);
    if (!byName) probes.mongoByCommand.set(name, (byName = { count: 0, totalMs: 0 }));
    for (const probe of [probes.mongo, byName]) {
      probe.count++;
      probe.totalMs += event.duration;
    }
  };
  client.on('commandStarted', started);
  client.on('commandSucceeded', ended);
  client.on('commandFailed', ended);
  return () => {
    client.off('commandStarted', started);
    client.off('commandSucceeded', ended);
    client.off('commandFailed', ended);
  };
}

export function retryCounter(probes: LoopProbes): (event: { error: string }) => void {
  return (event) => {
    probes.retries.all++;
    if (event.error.startsWith('ThrottlingException')) probes.retries.throttling++;
  };
}

/** The product's loop, timing each job it runs (from its start to its release; claims go per page). */
export class TimedSigningLoop extends SigningLoop {
  constructor(options: ConstructorParameters<typeof SigningLoop>[0], probes: LoopProbes) {
    super({
      ...options,
      hooks: {
        ...options.hooks,
        jobDone: (result, ms) => {
          probes.jobs.push({ id: result.id, outcome: result.outcome, ms });
        },
      },
    });
  }
}
