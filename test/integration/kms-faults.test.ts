// Retries, backoff, deadlines, rate limiting and tampered answers, injected by a proxy in front of
// LocalStack so the vault talks real HTTP to a real KMS emulator throughout.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import * as tiny from 'tiny-secp256k1';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeSecp256k1Spki } from '../../src/kms/der.js';
import { createKmsClient } from '../../src/kms/client.js';
import {
  KmsKeyUnusableError,
  KmsTimeoutError,
  KmsUnavailableError,
  MalformedKmsResponseError,
} from '../../src/kms/errors.js';
import { KmsVault, type KmsPublicKey } from '../../src/kms/vault.js';
import { FaultProxy } from '../support/fault-proxy.js';
import { stackEndpoints } from '../support/stack.js';
import { TEST_CREDENTIALS, testVault } from '../../scripts/fixtures/vault.js';

const fast = { baseDelayMs: 20, maxDelayMs: 200, attemptTimeoutMs: 2_000 };

let proxy: FaultProxy;
let keyId: string;
let publicKey: KmsPublicKey;

beforeAll(async () => {
  const { awsEndpoint } = stackEndpoints();
  proxy = await FaultProxy.start(awsEndpoint);
  const direct = testVault(awsEndpoint);
  ({ keyId } = await direct.createKey({ walletId: randomUUID(), chain: 'BTC' }));
  publicKey = await direct.getPublicKey(keyId);
});
afterAll(async () => {
  await proxy.close();
});
beforeEach(() => {
  proxy.reset();
});

async function signVerified(vault = testVault(proxy.url, { retry: fast })) {
  const digest = randomBytes(32);
  const signature = await vault.signDigest(keyId, digest, publicKey);
  expect(tiny.verify(digest, publicKey.compressed, signature.compact, true)).toBe(true);
  return signature;
}

describe('transient failures are retried', () => {
  it('retries ThrottlingException and succeeds', async () => {
    proxy.inject(
      'Sign',
      { kind: 'error', status: 400, type: 'ThrottlingException', message: 'Rate exceeded' },
      2,
    );
    await signVerified();
    expect(proxy.requests.map((r) => r.fault)).toEqual(['error', 'error', 'none']);
  });

  it('retries KMSInternalException, a bare 503 and a connection reset', async () => {
    proxy.inject('Sign', { kind: 'error', status: 500, type: 'KMSInternalException' });
    proxy.inject('Sign', { kind: 'error', status: 503, type: 'ServiceUnavailable' });
    proxy.inject('Sign', { kind: 'reset' });
    await signVerified();
    expect(proxy.requests.map((r) => r.fault)).toEqual(['error', 'error', 'reset', 'none']);
  });

  it('abandons a hung attempt after attemptTimeoutMs and retries', async () => {
    proxy.inject('Sign', { kind: 'delay', ms: 5_000 });
    const started = performance.now();
    await signVerified(testVault(proxy.url, { retry: { ...fast, attemptTimeoutMs: 300 } }));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(proxy.countOf('Sign')).toBe(2);
  });

  it('backs off exponentially between attempts', async () => {
    proxy.inject('Sign', { kind: 'error', status: 400, type: 'ThrottlingException' }, 3);
    await signVerified(testVault(proxy.url, { retry: { baseDelayMs: 100, maxDelayMs: 5_000 } }));
    const at = proxy.requests.map((r) => r.at);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    // Delay n is base·2ⁿ·[1,2): 100-200, 200-400, 400-800 ms.
    expect(gaps[0]).toBeGreaterThanOrEqual(95);
    expect(gaps[1]).toBeGreaterThanOrEqual(195);
    expect(gaps[2]).toBeGreaterThanOrEqual(395);
  });
});

describe('errors that will not heal fail at once', () => {
  it.each([
    ['AccessDeniedException', 'access-denied'],
    ['NotFoundException', 'not-found'],
    ['DisabledException', 'disabled'],
    ['KMSInvalidStateException', 'invalid-state'],
    ['InvalidKeyUsageException', 'wrong-key-usage'],
  ])('%s is not retried', async (type, reason) => {
    proxy.inject('Sign', { kind: 'error', status: 400, type }, 10);
    const error = await testVault(proxy.url, { retry: fast })
      .signDigest(keyId, randomBytes(32), publicKey)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KmsKeyUnusableError);
    expect(error).toMatchObject({ reason, keyId });
    expect((error as Error).message).toContain(`KMS key ${keyId}`);
    expect(proxy.countOf('Sign')).toBe(1);
  });

  it('bad input never reaches KMS', async () => {
    const vault = testVault(proxy.url, { retry: fast });
    await expect(vault.signDigest(keyId, randomBytes(31), publicKey)).rejects.toThrow(
      /digest: must be exactly 32/,
    );
    await expect(vault.scheduleKeyDeletion(keyId, 6)).rejects.toThrow(/pendingWindowInDays/);
    expect(proxy.requests).toHaveLength(0);
  });
});

describe('the deadline bounds the whole call', () => {
  it('gives up when throttling outlasts the deadline', async () => {
    proxy.inject('Sign', { kind: 'error', status: 400, type: 'ThrottlingException' }, 1_000);
    const vault = testVault(proxy.url, { retry: { ...fast, deadlineMs: 800, maxAttempts: 100 } });
    const started = performance.now();
    const error = await vault.signDigest(keyId, randomBytes(32), publicKey).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(KmsUnavailableError);
    expect((error as Error).message).toMatch(
      new RegExp(`KMS Sign on key ${keyId} failed after \\d+ attempt`),
    );
    expect((error as KmsUnavailableError).attempts).toBeGreaterThan(2);
    expect(elapsed).toBeGreaterThanOrEqual(700);
    expect(elapsed).toBeLessThan(800 + 400);
  });

  it('cuts a hung attempt short when the deadline comes first', async () => {
    proxy.inject('Sign', { kind: 'delay', ms: 10_000 }, 10);
    const vault = testVault(proxy.url, { retry: { ...fast, deadlineMs: 600, attemptTimeoutMs: 5_000 } });
    const started = performance.now();
    await expect(vault.signDigest(keyId, randomBytes(32), publicKey)).rejects.toBeInstanceOf(
      KmsUnavailableError,
    );
    expect(performance.now() - started).toBeLessThan(600 + 400);
  });
});

describe('an endpoint that accepts the connection and never answers', () => {
  it('fails Sign with a timeout after ≈ requestTimeout × attempts instead of hanging', async () => {
    // A loopback server that takes every connection and never writes a byte (a KMS or proxy gone silent).
    const connections: Socket[] = [];
    const silent = createServer((socket) => void connections.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const requestTimeoutMs = 300;
    const attempts = 3;
    const client = createKmsClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: TEST_CREDENTIALS,
      requestTimeoutMs,
    });
    // The vault's own attempt timer and deadline are far away: only the client's requestTimeout can end
    // an attempt early (without throwOnRequestTimeout the handler would only log a warning and wait).
    const vault = new KmsVault({
      client,
      retry: { ...fast, maxAttempts: attempts, attemptTimeoutMs: 8_000, deadlineMs: 8_000 },
    });
    try {
      const started = performance.now();
      const error = await vault.signDigest(keyId, randomBytes(32), publicKey).catch((e: unknown) => e);
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(KmsTimeoutError);
      expect(error).toBeInstanceOf(KmsUnavailableError);
      expect(error).toMatchObject({ operation: 'Sign', keyId, attempts });
      expect((error as Error).message).toMatch(
        /TimeoutError: .*exceeded the configured 300 ms requestTimeout/,
      );
      // Each timed-out request was destroyed, so each retry needed a new connection.
      expect(connections).toHaveLength(attempts);
      expect(elapsed).toBeGreaterThanOrEqual(attempts * requestTimeoutMs - 50);
      expect(elapsed).toBeLessThan(attempts * requestTimeoutMs + 1_500);
    } finally {
      client.destroy();
      for (const socket of connections) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('client-side rate limiting', () => {
  it('keeps Sign requests at or under the configured rate in every 1-second window', async () => {
    const perSecond = 5;
    const vault = testVault(proxy.url, { retry: fast, rateLimits: { sign: perSecond } });
    await Promise.all(Array.from({ length: 3 * perSecond }, () => signVerified(vault)));
    const at = proxy.requests.filter((r) => r.operation === 'Sign').map((r) => r.at);
    expect(at).toHaveLength(15);
    for (const start of at) {
      // 200 ms of tolerance for transit jitter between the limiter and the proxy on a loaded machine;
      // without the limiter all 15 requests arrive within a few tens of milliseconds.
      const inWindow = at.filter((t) => t >= start && t < start + 800).length;
      expect(inWindow).toBeLessThanOrEqual(perSecond);
    }
    expect(at.at(-1)! - at[0]!).toBeGreaterThanOrEqual(1_800);
  });
});

describe('tampered KMS answers are refused', () => {
  it('malformed signature DER', async () => {
    proxy.inject('Sign', {
      kind: 'rewrite',
      transform: (body) => ({
        ...body,
        Signature: Buffer.from('3006020101020101ff', 'hex').toString('base64'),
      }),
    });
    await expect(testVault(proxy.url).signDigest(keyId, randomBytes(32), publicKey)).rejects.toThrow(
      MalformedKmsResponseError,
    );
  });

  it('a public key that is not on the curve, or on another curve', async () => {
    const offCurve = Uint8Array.from(publicKey.uncompressed);
    offCurve[64] = offCurve[64]! ^ 1;
    proxy.inject('GetPublicKey', {
      kind: 'rewrite',
      transform: (body) => ({
        ...body,
        PublicKey: Buffer.from(encodeSecp256k1Spki(offCurve)).toString('base64'),
      }),
    });
    await expect(testVault(proxy.url).getPublicKey(keyId)).rejects.toThrow(
      `KMS key ${keyId}: public key from KMS is invalid: not a point on the secp256k1 curve`,
    );

    const p256Spki = Buffer.concat([
      Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex'),
      Buffer.from(publicKey.uncompressed),
    ]);
    proxy.inject('GetPublicKey', {
      kind: 'rewrite',
      transform: (body) => ({ ...body, PublicKey: p256Spki.toString('base64') }),
    });
    await expect(testVault(proxy.url).getPublicKey(keyId)).rejects.toThrow(/expected secp256k1/);
  });

  it('a valid signature by a different key', async () => {
    const other = testVault(stackEndpoints().awsEndpoint);
    const otherKey = await other.createKey({ walletId: randomUUID(), chain: 'BTC' });
    const digest = randomBytes(32);
    // Send the request to the other key: the answer verifies, but not against our wallet's key.
    await expect(testVault(proxy.url).signDigest(otherKey.keyId, digest, publicKey)).rejects.toThrow(
      /refusing signature/,
    );
  });
});
