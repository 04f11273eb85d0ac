// The Tatum client against the sandbox (offline broadcasts) and a tiny recording stub on 127.0.0.1:
// batching and the 25,000 limit, headers, retries (5xx, 429, timeouts) vs. no retry on 4xx, the API key
// kept out of errors and logs, broadcast paths per chain, off-chain broadcast, error report, and
// invalid pending entries returned rather than dropped.
import { MAX_PENDING_PAYLOAD_CHARS } from '../../../src/tatum/limits.js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTatumSandbox, type TatumSandbox } from '../../../scripts/sandbox/tatum-sandbox.js';
import { SecretCache } from '../../../src/config/index.js';
import {
  apiKeyFromSecret,
  createTatumClient,
  SANDBOX_BROADCAST_PATHS,
  type TatumClientOptions,
} from '../../../src/tatum/client.js';
import { TatumApiError } from '../../../src/tatum/errors.js';
import type { TatumHttpLogEntry } from '../../../src/tatum/http.js';
import type { PendingTransaction } from '../../../src/tatum/types.js';

const FAST = { retryDelayMs: 1, timeoutMs: 2_000 } as const;
const uuid = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

interface StubRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** A recording HTTP stub; `reply` decides each answer. */
async function startStub(reply: (req: StubRequest) => { status: number; body?: unknown }) {
  const requests: StubRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      const request = {
        path: req.url ?? '',
        headers: req.headers,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      };
      requests.push(request);
      const { status, body } = reply(request);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}

let sandbox: TatumSandbox;
beforeAll(async () => {
  sandbox = await startTatumSandbox({ offlineBroadcast: true, hangMs: 5_000 });
});
afterAll(() => sandbox.close());

function sandboxClient(extra: Partial<TatumClientOptions> = {}) {
  return createTatumClient({
    baseUrl: sandbox.url,
    apiKey: sandbox.apiKey,
    clientVersion: '0.1.0-test',
    broadcastPaths: sandbox.broadcastPaths,
    ...FAST,
    ...extra,
  });
}

const callsTo = (path: string, since: number) => sandbox.calls.slice(since).filter((c) => c.path === path);

describe('pending fetch', () => {
  it('splits 25,000 signature ids into exactly 50 calls of at most 500 and merges (deduplicated) results', async () => {
    const ids = Array.from({ length: 25_000 }, (_, i) => uuid(i));
    // One transaction per 5,000 ids, plus one whose two hashes fall into the first and the last batch.
    const queued = [0, 5_000, 10_000, 15_000, 20_000].map((i) =>
      sandbox.enqueue({ chain: 'LTC', serializedTransaction: '{}', hashes: [ids[i]!] }),
    );
    const spanning = sandbox.enqueue({
      chain: 'LTC',
      serializedTransaction: '{}',
      hashes: [ids[1]!, ids[24_999]!],
    });
    sandbox.enqueue({ chain: 'DOGE', serializedTransaction: '{}', hashes: [ids[2]!] }); // other chain
    const since = sandbox.calls.length;

    const { pending } = await sandboxClient().fetchPending('LTC', ids);

    const calls = callsTo('/v3/kms/pending/LTC', since);
    expect(calls).toHaveLength(50);
    expect(calls.every((c) => c.signatureIds !== undefined && c.signatureIds <= 500)).toBe(true);
    expect(calls.reduce((n, c) => n + (c.signatureIds ?? 0), 0)).toBe(25_000);
    expect(pending.map((p) => p.id).sort()).toEqual([...queued, spanning].sort());
  });

  it('refuses 25,001 signature ids without calling Tatum', async () => {
    const since = sandbox.calls.length;
    const ids = Array.from({ length: 25_001 }, (_, i) => uuid(i));
    const error = await sandboxClient()
      .fetchPending('BTC', ids)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TatumApiError);
    expect((error as TatumApiError).message).toMatch(/25001 signature ids.*at most 25000/);
    expect((error as TatumApiError).retryable).toBe(false);
    expect(sandbox.calls.length).toBe(since);
  });

  it('counts duplicate ids once (25,000 distinct ids listed twice is allowed)', async () => {
    const ids = Array.from({ length: 25_000 }, (_, i) => uuid(i));
    const since = sandbox.calls.length;
    await sandboxClient().fetchPending('BCH', [...ids, ...ids]);
    expect(callsTo('/v3/kms/pending/BCH', since)).toHaveLength(50);
  });

  it('makes no call for an empty id list', async () => {
    const since = sandbox.calls.length;
    expect((await sandboxClient().fetchPending('BTC', [])).pending).toEqual([]);
    expect(sandbox.calls.length).toBe(since);
  });

  it('the sandbox itself answers 400 to more than 500 ids and 401 to a wrong key', async () => {
    const post = (key: string, n: number) =>
      fetch(`${sandbox.url}/v3/kms/pending/BTC`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: JSON.stringify({ signatureIds: Array.from({ length: n }, (_, i) => uuid(i)) }),
      });
    expect((await post(sandbox.apiKey, 501)).status).toBe(400);
    expect((await post(sandbox.apiKey, 500)).status).toBe(200);
    expect((await post('wrong', 1)).status).toBe(401);
  });

  it('returns invalid entries in `invalid` instead of dropping them silently', async () => {
    const valid: PendingTransaction = {
      id: 'aaaaaaaaaaaaaaaaaaaaaaaa',
      chain: 'BTC',
      serializedTransaction: '{}',
      hashes: [uuid(1)],
      index: null as unknown as undefined, // Tatum may send nulls for absent optionals
      withdrawalResponses: [],
    } as PendingTransaction;
    const stub = await startStub(() => ({
      status: 200,
      body: [
        valid,
        { id: 'bbbbbbbbbbbbbbbbbbbbbbbb', chain: 'BTC', serializedTransaction: '{}' }, // no hashes
        { id: 'not-an-id', chain: 'BTC', serializedTransaction: '{}', hashes: [uuid(2)] },
        { id: 'cccccccccccccccccccccccc', chain: 'ETH', serializedTransaction: '{}', hashes: [uuid(3)] },
        'garbage',
      ],
    }));
    try {
      const logs: TatumHttpLogEntry[] = [];
      const client = createTatumClient({
        baseUrl: stub.url,
        apiKey: 'k',
        clientVersion: 'v',
        ...FAST,
        log: (e) => logs.push(e),
      });
      const { pending, invalid } = await client.fetchPending('BTC', [uuid(1)]);
      expect(pending).toHaveLength(1);
      expect(pending[0]).toMatchObject({ id: valid.id, hashes: [uuid(1)], withdrawalResponses: [] });
      expect(pending[0]?.index).toBeUndefined();
      expect(invalid.map((i) => i.id)).toEqual([
        'bbbbbbbbbbbbbbbbbbbbbbbb',
        undefined,
        'cccccccccccccccccccccccc',
        undefined,
      ]);
      expect(invalid[0]?.issues.join()).toMatch(/^hashes: /);
      expect(invalid[2]?.issues).toEqual(['chain: is ETH, asked for BTC']);
      expect(logs.filter((l) => l.msg === 'invalid pending transaction from Tatum')).toHaveLength(4);
      expect((await client.fetchPending('BTC', [uuid(1)])).pending).toHaveLength(1);
    } finally {
      await stub.close();
    }
  });

  it('refuses a payload with a duplicate JSON member or beyond the size cap, never hands it to a signer', async () => {
    const entry = (id: string, serializedTransaction: string) => ({
      id,
      chain: 'ETH',
      serializedTransaction,
      hashes: [uuid(1)],
    });
    const duplicate =
      '{"to":"0x8ba1f109551bd432803012645ac136ddd64dba72","value":"1","to":"0x00000000000000000000000000000000000000aa"}';
    const stub = await startStub(() => ({
      status: 200,
      body: [
        entry('aaaaaaaaaaaaaaaaaaaaaaaa', duplicate),
        entry('bbbbbbbbbbbbbbbbbbbbbbbb', `{"data":"0x${'00'.repeat(MAX_PENDING_PAYLOAD_CHARS / 2)}"}`),
        entry('cccccccccccccccccccccccc', '{"to":"0x8ba1f109551bd432803012645ac136ddd64dba72","value":"1"}'),
      ],
    }));
    try {
      const client = createTatumClient({ baseUrl: stub.url, apiKey: 'k', clientVersion: 'v', ...FAST });
      const { pending, invalid } = await client.fetchPending('ETH', [uuid(1)]);
      expect(pending.map((p) => p.id)).toEqual(['cccccccccccccccccccccccc']);
      expect(invalid.map((i) => [i.id, i.issues.join()])).toEqual([
        [
          'aaaaaaaaaaaaaaaaaaaaaaaa',
          expect.stringMatching(/^serializedTransaction: to: .*duplicate/) as string,
        ],
        [
          'bbbbbbbbbbbbbbbbbbbbbbbb',
          `serializedTransaction: longer than ${MAX_PENDING_PAYLOAD_CHARS} characters`,
        ],
      ]);
    } finally {
      await stub.close();
    }
  });
});

describe('headers, retries and timeouts', () => {
  it('sends x-api-key, x-ttm-kms-client-version and JSON on every call', async () => {
    const stub = await startStub(({ path }) => ({
      status: 200,
      body: path.includes('pending') ? [] : { txId: 'ab' },
    }));
    try {
      const client = createTatumClient({
        baseUrl: `${stub.url}/`,
        apiKey: 'key-1234',
        clientVersion: '8.0.1',
        ...FAST,
      });
      await client.fetchPending('BTC', [uuid(1)]);
      await client.broadcast(
        { id: 'a'.repeat(24), chain: 'BTC', serializedTransaction: '{}', hashes: [] },
        '00',
      );
      await client.reportErrors([{ signatureId: 'a'.repeat(24), error: 'x' }]);
      expect(stub.requests.map((r) => r.path)).toEqual([
        '/v3/kms/pending/BTC',
        '/v3/bitcoin/broadcast',
        '/v3/tatum/kms/batch',
      ]);
      for (const r of stub.requests) {
        expect(r.headers['x-api-key']).toBe('key-1234');
        expect(r.headers['x-ttm-kms-client-version']).toBe('8.0.1');
        expect(r.headers['content-type']).toBe('application/json');
      }
    } finally {
      await stub.close();
    }
  });

  it('retries 5xx and 429 with backoff, then succeeds', async () => {
    const id = sandbox.enqueue({ chain: 'BTC', serializedTransaction: '{}', hashes: [uuid(777)] });
    sandbox.failNext('/v3/kms/pending/BTC', 503, 2);
    sandbox.failNext('/v3/kms/pending/BTC', 429);
    const since = sandbox.calls.length;
    const logs: TatumHttpLogEntry[] = [];
    const { pending } = await sandboxClient({ log: (e) => logs.push(e) }).fetchPending('BTC', [uuid(777)]);
    expect(pending.map((p) => p.id)).toEqual([id]);
    expect(callsTo('/v3/kms/pending/BTC', since).map((c) => c.status)).toEqual([503, 503, 429, 200]);
    expect(logs.filter((l) => l.msg === 'tatum call failed, retrying')).toHaveLength(3);
  });

  it('retries a timed-out call', async () => {
    sandbox.failNext('/v3/tatum/kms/batch', 'timeout');
    const since = sandbox.calls.length;
    const started = Date.now();
    await sandboxClient({ timeoutMs: 200 }).reportErrors([
      { signatureId: 'd'.repeat(24), error: 'after timeout' },
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(callsTo('/v3/tatum/kms/batch', since)).toHaveLength(2);
    expect(sandbox.reportedErrors).toContainEqual({ signatureId: 'd'.repeat(24), error: 'after timeout' });
  });

  it('gives up after `retries` and keeps the error retryable', async () => {
    sandbox.failNext('/v3/kms/pending/DOGE', 500, 3);
    const since = sandbox.calls.length;
    const error = await sandboxClient({ retries: 2 })
      .fetchPending('DOGE', [uuid(1)])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TatumApiError);
    expect(error).toMatchObject({ status: 500, retryable: true });
    expect(callsTo('/v3/kms/pending/DOGE', since)).toHaveLength(3);
  });

  it('does not retry 4xx (400, 401, 403)', async () => {
    for (const status of [400, 403]) {
      sandbox.failNext('/v3/kms/pending/BTC', status);
      const since = sandbox.calls.length;
      const error = await sandboxClient()
        .fetchPending('BTC', [uuid(1)])
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'TatumApiError', status, retryable: false });
      expect(callsTo('/v3/kms/pending/BTC', since)).toHaveLength(1);
    }
    const since = sandbox.calls.length;
    const error = await sandboxClient({ apiKey: 'wrong-key-value' })
      .fetchPending('BTC', [uuid(1)])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, retryable: false });
    expect(callsTo('/v3/kms/pending/BTC', since)).toHaveLength(1);
  });
});

describe('a refused error report', () => {
  it("fails with Tatum's status and answer (errorCode, message), not retried; the sandbox records nothing", async () => {
    const refused = 'e'.repeat(24);
    sandbox.refuseReports([refused]);
    const since = sandbox.calls.length;
    const recorded = sandbox.reportedErrors.length;
    const error = await sandboxClient()
      .reportErrors([
        { signatureId: 'f'.repeat(24), error: 'fine' },
        { signatureId: refused, error: 'unknown id' },
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TatumApiError);
    expect(error).toMatchObject({
      status: 403,
      retryable: false,
      answer: { errorCode: 'kms.missing', message: `No such KMS signature with id '${refused}'.` },
    });
    expect(callsTo('/v3/tatum/kms/batch', since)).toHaveLength(1);
    expect(sandbox.reportedErrors).toHaveLength(recorded);
    // Without the refused id the same endpoint accepts.
    await sandboxClient().reportErrors([{ signatureId: 'f'.repeat(24), error: 'fine' }]);
    expect(sandbox.reportedErrors.slice(recorded)).toEqual([{ signatureId: 'f'.repeat(24), error: 'fine' }]);
  });
});

describe('the API key stays secret', () => {
  const SECRET = 'tatum-secret-KEY-4f9a2c';

  it('is absent from HTTP errors (even when the server echoes it), network errors and logs', async () => {
    const stub = await startStub(({ headers }) => ({
      status: 500,
      body: { message: `bad key ${String(headers['x-api-key'])}` },
    }));
    const logs: TatumHttpLogEntry[] = [];
    const client = createTatumClient({
      baseUrl: stub.url,
      apiKey: () => Promise.resolve(SECRET),
      clientVersion: 'v',
      ...FAST,
      retries: 1,
      log: (e) => logs.push(e),
    });
    const httpError = await client.fetchPending('BTC', [uuid(1)]).catch((e: unknown) => e);
    expect(stub.requests[0]?.headers['x-api-key']).toBe(SECRET); // it was sent…
    await stub.close();
    const networkError = await client
      .reportErrors([{ signatureId: 'a'.repeat(24), error: 'e' }])
      .catch((e: unknown) => e);

    expect(httpError).toBeInstanceOf(TatumApiError);
    // Tatum's answer kept on the error (a refused report is logged with it) is scrubbed too.
    expect((httpError as TatumApiError).answer).toEqual({ message: 'bad key <redacted>' });
    expect(networkError).toMatchObject({ name: 'TatumApiError', status: undefined, retryable: true });
    const text = [httpError, networkError]
      .map((e) => `${(e as Error).message} ${(e as Error).stack ?? ''}`)
      .join('\n');
    expect(text).toContain('HTTP 500');
    expect(text).toContain('network error');
    expect(text).toContain('<redacted>'); // …and scrubbed from the echoed body
    expect(text).not.toContain(SECRET);
    expect(logs.length).toBeGreaterThan(0);
    expect(JSON.stringify(logs)).not.toContain(SECRET);
  });

  it('a failing key provider gives a non-retryable error without calling Tatum', async () => {
    const since = sandbox.calls.length;
    const error = await sandboxClient({ apiKey: () => Promise.reject(new Error('AccessDenied')) })
      .fetchPending('BTC', [uuid(1)])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: false });
    expect((error as Error).message).toMatch(/cannot obtain the Tatum API key: AccessDenied/);
    expect(sandbox.calls.length).toBe(since);
  });

  it('apiKeyFromSecret reads the key through SecretCache (plain or JSON) and caches it', async () => {
    let reads = 0;
    const secrets: Record<string, string> = {
      plain: ` ${sandbox.apiKey}\n`,
      json: JSON.stringify({ apiKey: sandbox.apiKey }),
    };
    const client = {
      send: (command: { input: { SecretId: string } }) => {
        reads++;
        return Promise.resolve({ SecretString: secrets[command.input.SecretId] });
      },
    } as unknown as SecretsManagerClient;
    const cache = new SecretCache({ client, ttlMs: 60_000 });
    for (const secretId of ['plain', 'json']) {
      const api = sandboxClient({ apiKey: apiKeyFromSecret(cache, secretId) });
      await api.fetchPending('BTC', [uuid(1)]);
      await api.fetchPending('BTC', [uuid(1)]);
    }
    expect(reads).toBe(2);
  });
});

describe('broadcast', () => {
  it('uses the path of each chain and sends {txData, signatureId: pending.id}', async () => {
    const stub = await startStub(() => ({ status: 200, body: { txId: 'f00d' } }));
    try {
      const client = createTatumClient({ baseUrl: stub.url, apiKey: 'k', clientVersion: 'v', ...FAST });
      const expected: Record<string, string> = {
        BTC: '/v3/bitcoin/broadcast',
        LTC: '/v3/litecoin/broadcast',
        DOGE: '/v3/dogecoin/broadcast',
        BCH: '/v3/bcash/broadcast',
        ETH: '/v3/ethereum/broadcast',
        BSC: '/v3/bsc/broadcast',
        MATIC: '/v3/polygon/broadcast',
        TRON: '/v3/tron/broadcast',
      };
      for (const [n, chain] of Object.keys(expected).entries()) {
        const id = (n + 1).toString(16).padStart(24, '0');
        const result = await client.broadcast(
          { id, chain, serializedTransaction: '{}', hashes: [] },
          `signed-${chain}`,
        );
        expect(result).toEqual({ txId: 'f00d' });
        expect(stub.requests.at(-1)).toMatchObject({
          path: expected[chain],
          body: { txData: `signed-${chain}`, signatureId: id },
        });
      }
      // Off-chain withdrawal.
      const result = await client.broadcast(
        {
          id: 'e'.repeat(24),
          chain: 'LTC',
          serializedTransaction: '{}',
          hashes: [],
          withdrawalId: 'f'.repeat(24),
        },
        'raw',
      );
      expect(result).toEqual({ txId: 'f00d' });
      expect(stub.requests.at(-1)).toMatchObject({
        path: '/v3/offchain/withdrawal/broadcast',
        body: { currency: 'LTC', signatureId: 'e'.repeat(24), withdrawalId: 'f'.repeat(24), txData: 'raw' },
      });
      // EVM_DEV has no production path.
      const error = await client
        .broadcast({ id: 'a'.repeat(24), chain: 'EVM_DEV', serializedTransaction: '{}', hashes: [] }, '0x00')
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'TatumApiError', retryable: false });
      expect(stub.requests).toHaveLength(9);
      const dev = createTatumClient({
        baseUrl: stub.url,
        apiKey: 'k',
        clientVersion: 'v',
        broadcastPaths: SANDBOX_BROADCAST_PATHS,
      });
      await dev.broadcast(
        { id: 'a'.repeat(24), chain: 'EVM_DEV', serializedTransaction: '{}', hashes: [] },
        '0x00',
      );
      expect(stub.requests.at(-1)?.path).toBe('/v3/evm-dev/broadcast');
    } finally {
      await stub.close();
    }
  });

  it('retries a 5xx broadcast; the same bytes twice complete once, other bytes are a recorded 409', async () => {
    const id = sandbox.enqueue({ chain: 'EVM_DEV', serializedTransaction: '{}', hashes: [uuid(9)] });
    const pending = sandbox.pending().find((p) => p.id === id)!;
    sandbox.failNext('/v3/evm-dev/broadcast', 502);
    const client = sandboxClient();
    const first = await client.broadcast(pending, '0xaa');
    const again = await client.broadcast(pending, '0xaa');
    expect(again.txId).toBe(first.txId);
    expect(sandbox.completed.get(id)).toMatchObject({ txId: first.txId, txData: '0xaa' });
    expect((await client.fetchPending('EVM_DEV', [uuid(9)])).pending).toEqual([]);

    const conflict = await client.broadcast(pending, '0xbb').catch((e: unknown) => e);
    expect(conflict).toMatchObject({ name: 'TatumApiError', status: 409, retryable: false });
    expect(sandbox.violations).toEqual([
      expect.objectContaining({ id, firstTxData: '0xaa', secondTxData: '0xbb' }),
    ]);
  });

  it('off-chain broadcast through the sandbox returns completed: true', async () => {
    const withdrawalId = '1'.repeat(24);
    const id = sandbox.enqueue({
      chain: 'BTC',
      serializedTransaction: '{}',
      hashes: [uuid(10)],
      withdrawalId,
    });
    const pending = sandbox.pending().find((p) => p.id === id)!;
    const result = await sandboxClient().broadcast(pending, '0200');
    expect(result).toMatchObject({ completed: true });
    expect(sandbox.completed.get(id)?.txId).toBe(result.txId);
  });
});

describe('error report', () => {
  it('sends all errors in one call and skips the call when there are none', async () => {
    const since = sandbox.calls.length;
    await sandboxClient().reportErrors([]);
    expect(sandbox.calls.length).toBe(since);
    const errors = [
      { signatureId: '2'.repeat(24), error: 'Unsupported chain.' },
      { signatureId: '3'.repeat(24), error: 'SigningRefusedError: fee too high' },
    ];
    await sandboxClient().reportErrors(errors);
    expect(callsTo('/v3/tatum/kms/batch', since)).toHaveLength(1);
    expect(sandbox.reportedErrors.slice(-2)).toEqual(errors);
  });
});
