// A KMS stand-in for the throughput benchmark: an HTTP server on 127.0.0.1 speaking the JSON 1.1
// protocol the AWS SDK v3 uses (POST /, X-Amz-Target: TrentService.<Operation>). It holds the
// benchmark wallets' secp256k1 keys and really signs digests (Sign), returning the high S about half
// the time as KMS does. Only Sign is served (the signing loop's hot path calls nothing else; any other
// operation is answered UnknownOperationException and counted, so a new call would show up). Every
// answer leaves `latencyMs` after its request arrived, and Sign is held to `quotaRps` accepted requests
// in any sliding 1-second window; above it KMS's own answer, HTTP 400 ThrottlingException "Rate
// exceeded". Throttled requests do not count towards the window.
import { randomInt, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { instantiateSecp256k1 } from '@bitauth/libauth';
import { SIGNING_ALGORITHM } from '../src/kms/vault.js';

export interface EmulatedKey {
  keyId: string;
  privateKey: Uint8Array;
}

export interface KmsEmulatorOptions {
  keys: readonly EmulatedKey[];
  /** Time from a request's arrival to its answer, in ms (default 20, about what KMS takes). */
  latencyMs?: number;
  /** Accepted Sign requests per sliding second (default 300, the documented ECC quota). */
  quotaRps?: number;
  /** 0 (default) picks a free port. */
  port?: number;
}

export interface KmsEmulatorStats {
  /** Requests by operation (e.g. Sign, CreateKey), throttled ones included. */
  requests: Record<string, number>;
  signAccepted: number;
  throttled: number;
  /** Accepted signatures whose S was in the high half (the vault folds them). */
  highS: number;
  /** Arrival time of each accepted Sign, epoch ms with sub-ms precision (comparable across threads). */
  acceptedAt: number[];
  /** Mean time an answer left later than planned, in ms: the emulator's own event-loop delay. */
  meanLateMs: number;
}

export interface KmsEmulator {
  url: string;
  stats(): KmsEmulatorStats;
  close(): Promise<void>;
}

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const WINDOW_MS = 1000;

/** Epoch ms with the precision of performance.now(). */
export const epochMs = (): number => performance.timeOrigin + performance.now();

/** The requests accepted in the last second; admits a new one only while fewer than `limit`. */
class SlidingWindow {
  private times: number[] = [];
  private head = 0;

  constructor(private readonly limit: number) {}

  tryAcquire(now: number): boolean {
    while (this.head < this.times.length && (this.times[this.head] ?? 0) <= now - WINDOW_MS) this.head++;
    if (this.head > 4096) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    if (this.times.length - this.head >= this.limit) return false;
    this.times.push(now);
    return true;
  }
}

class KmsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

const arnOf = (keyId: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}`;
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** libauth answers an error as a string instead of bytes. */
function bytesOrThrow(result: Uint8Array | string): Uint8Array {
  if (typeof result === 'string') throw new KmsError('KMSInternalException', result);
  return result;
}

export async function startKmsEmulator(options: KmsEmulatorOptions): Promise<KmsEmulator> {
  const latencyMs = options.latencyMs ?? 20;
  const quota = new SlidingWindow(options.quotaRps ?? 300);
  const keys = new Map(options.keys.map((key) => [key.keyId, key.privateKey]));
  const secp = await instantiateSecp256k1();
  const stats: Omit<KmsEmulatorStats, 'meanLateMs'> = {
    requests: {},
    signAccepted: 0,
    throttled: 0,
    highS: 0,
    acceptedAt: [],
  };
  let lateMsTotal = 0;
  let answered = 0;

  const secretKeyOf = (input: Json): { keyId: string; secretKey: Uint8Array } => {
    const raw = typeof input.KeyId === 'string' ? input.KeyId : '';
    const keyId = raw.slice(raw.lastIndexOf('/') + 1); // accepts a key id or its ARN
    const secretKey = keys.get(keyId);
    if (!secretKey) throw new KmsError('NotFoundException', `Key '${arnOf(keyId)}' does not exist`);
    return { keyId, secretKey };
  };

  const operations: Record<string, (input: Json, arrivedAt: number) => Json> = {
    Sign(input, arrivedAt) {
      if (!quota.tryAcquire(arrivedAt)) {
        stats.throttled++;
        throw new KmsError('ThrottlingException', 'Rate exceeded');
      }
      const { keyId, secretKey } = secretKeyOf(input);
      const digest = Buffer.from(typeof input.Message === 'string' ? input.Message : '', 'base64');
      if (input.MessageType !== 'DIGEST' || input.SigningAlgorithm !== SIGNING_ALGORITHM) {
        throw new KmsError('ValidationException', `expected MessageType DIGEST and ${SIGNING_ALGORITHM}`);
      }
      if (digest.length !== 32) throw new KmsError('ValidationException', 'a DIGEST must be 32 bytes');
      // libsecp256k1 (0.13–0.23 ms a signature here, noble's 0.68 ms: the emulator stands for a remote service
      // and should not take the signer's CPU) signs in low-S form with an RFC 6979 nonce; KMS returns
      // whichever S it computed, so half the signatures are flipped to the high S (the vault folds them).
      const lowS = bytesOrThrow(secp.signMessageHashDER(secretKey, digest));
      const highS = randomInt(2) === 1;
      const der = highS ? bytesOrThrow(secp.malleateSignatureDER(lowS)) : lowS;
      stats.signAccepted++;
      stats.acceptedAt.push(arrivedAt);
      if (highS) stats.highS++;
      return {
        KeyId: arnOf(keyId),
        Signature: base64(der),
        SigningAlgorithm: SIGNING_ALGORITHM,
      };
    },
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const arrivedAt = epochMs();
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = request.headers['x-amz-target'];
    const operation = typeof target === 'string' ? target.replace(/^TrentService\./, '') : '';
    stats.requests[operation] = (stats.requests[operation] ?? 0) + 1;
    let status = 200;
    let body: Json;
    try {
      const run = operations[operation];
      if (!run) throw new KmsError('UnknownOperationException', `the emulator has no ${operation}`);
      body = run(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Json, arrivedAt);
    } catch (error) {
      status = 400;
      body =
        error instanceof KmsError
          ? { __type: error.type, message: error.message }
          : { __type: 'ValidationException', message: String(error) };
    }
    const due = arrivedAt + latencyMs;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - epochMs())));
    lateMsTotal += Math.max(0, epochMs() - due);
    answered++;
    response.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': randomUUID(),
    });
    response.end(JSON.stringify(body));
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    stats: () => ({
      ...stats,
      requests: { ...stats.requests },
      acceptedAt: [...stats.acceptedAt],
      meanLateMs: answered === 0 ? 0 : lateMsTotal / answered,
    }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}
