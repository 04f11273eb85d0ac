// The HTTP API against the real wallet service on LocalStack KMS + FerretDB: the context comes from
// createAppContext(loadConfig(...)) with its own database and Application tag, the Node server listens
// on 127.0.0.1:0 and is called with fetch; the Lambda handler is invoked in-process with API Gateway
// HTTP API v2 events on the same context.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaHandler } from '../../src/api/lambda.js';
import { type ApiServer, startApiServer } from '../../src/api/server.js';
import type { ApiLogEntry } from '../../src/api/types.js';
import { type AppContext, createAppContext } from '../../src/app-context.js';
import { hashApiKey, loadConfig } from '../../src/config/index.js';
import { COLLECTIONS, type WalletDoc, type WalletKeyDoc } from '../../src/db/index.js';
import { KmsKeyScanner } from '../../src/wallets/kms-scan.js';
import { gatewayEvent, lambdaReply } from '../../scripts/fixtures/api-gateway-event.js';
import { stackEndpoints } from '../support/stack.js';
import { keysTaggedWith, randomSuffix } from '../support/wallets.js';

const API_KEY = `it-key-${randomSuffix()}${randomSuffix()}`;
const DAY_MS = 86_400_000;

let context: AppContext;
let server: ApiServer;
let application: string;
let scanner: KmsKeyScanner;
const logs: ApiLogEntry[] = [];

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}
interface WalletJson {
  signatureId: string;
  kmsKeyId: string;
  publicKey: string;
  status: string;
  deletionDate: string | null;
  [key: string]: unknown;
}

async function api(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; auth?: boolean } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth !== false) headers.authorization = `Bearer ${API_KEY}`;
  let body: string | Uint8Array | undefined;
  if (options.body !== undefined) {
    body =
      typeof options.body === 'string' || options.body instanceof Uint8Array
        ? options.body
        : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

/** KMS keys tagged with this test's Application (all of them, whatever the database says). */
async function applicationKeyCount(): Promise<number> {
  let count = 0;
  for await (const key of scanner.unknownKeys()) if (key.keyId) count += 1;
  return count;
}

/** Documents in every wallet collection plus the application's KMS keys. */
async function footprint(): Promise<Record<string, number>> {
  const counts: Record<string, number> = { kmsKeys: await applicationKeyCount() };
  for (const name of [
    COLLECTIONS.wallets,
    COLLECTIONS.walletKeys,
    COLLECTIONS.idempotencyKeys,
    COLLECTIONS.batches,
  ]) {
    counts[name] = await context.db.collection(name).countDocuments();
  }
  return counts;
}

beforeAll(async () => {
  const endpoints = stackEndpoints();
  application = `kms-signer-api-${randomSuffix()}`;
  context = await createAppContext(
    loadConfig({
      MONGODB_URI: endpoints.mongoUri,
      MONGODB_DB: `api_${randomSuffix()}`,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: endpoints.awsEndpoint,
      APP_TAG: application,
      API_KEY_HASHES: hashApiKey(API_KEY),
    }),
  );
  server = await startApiServer({ port: 0, context, env: {}, log: (entry) => logs.push(entry) });
  // Empty "known" collections: the scanner then reports every key carrying our Application tag.
  scanner = new KmsKeyScanner(context.kms, application, {
    wallets: context.db.collection<WalletDoc>('scan_no_wallets'),
    walletKeys: context.db.collection<WalletKeyDoc>('scan_no_keys'),
  });
});

afterAll(async () => {
  await server.close();
  await context.db.dropDatabase().catch(() => undefined);
  await context.close();
});

describe('wallet lifecycle over HTTP', () => {
  it('create → get → list → address 3 → disable → enable → delete → cancel, mirrored in KMS', async () => {
    const userId = `user-${randomSuffix()}`;
    const created = await api('POST', '/v1/wallets', {
      body: { userId, chain: 'ETH', asset: 'ETH', network: 'mainnet', label: 'hot' },
    });
    expect(created.status).toBe(201);
    const wallet = created.body as WalletJson;
    expect(created.headers.get('location')).toBe(`/v1/wallets/${wallet.signatureId}`);
    expect(wallet).toMatchObject({
      userId,
      chain: 'ETH',
      network: 'mainnet',
      label: 'hot',
      status: 'ACTIVE',
    });
    const publicKey = await context.vault.getPublicKey(wallet.kmsKeyId);
    expect(Buffer.from(publicKey.compressed).toString('hex')).toBe(wallet.publicKey);
    expect(await context.vault.listTags(wallet.kmsKeyId)).toMatchObject({
      Application: application,
      WalletId: wallet.signatureId,
    });

    const fetched = await api('GET', `/v1/wallets/${wallet.signatureId}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(wallet);

    const listed = await api('GET', `/v1/wallets?userId=${userId}&chain=ETH&limit=10`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ items: [wallet], nextCursor: null });

    const address = await api('GET', `/v1/wallets/${wallet.signatureId}/addresses/3`);
    expect(address.status).toBe(200);
    expect(address.body).toMatchObject({ signatureId: wallet.signatureId, index: 3 });
    expect(address.body.kmsKeyId).not.toBe(wallet.kmsKeyId);
    expect(address.body.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const again = await api('GET', `/v1/wallets/${wallet.signatureId}/addresses/3`);
    expect(again.body).toEqual(address.body);
    expect(await keysTaggedWith(context.kms, application, wallet.signatureId)).toHaveLength(2);

    // Status changes answer 202 with an operation; it is polled until COMPLETED.
    const change = async (method: string, path: string, body?: unknown): Promise<Reply> => {
      const reply = await api(method, path, body === undefined ? {} : { body });
      expect(reply.status).toBe(202);
      const self = (reply.body.links as { self: string }).self;
      expect(reply.headers.get('location')).toBe(self);
      for (;;) {
        const polled = await api('GET', self);
        expect(polled.status).toBe(200);
        if (polled.body.status === 'COMPLETED') return api('GET', `/v1/wallets/${wallet.signatureId}`);
        expect(['RUNNING', 'PAUSED']).toContain(polled.body.status);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const disabled = await change('POST', `/v1/wallets/${wallet.signatureId}/disable`);
    expect(disabled.body.status).toBe('DISABLED');
    expect((await context.vault.describeKey(wallet.kmsKeyId)).state).toBe('Disabled');

    const enabled = await change('POST', `/v1/wallets/${wallet.signatureId}/enable`);
    expect(enabled.body.status).toBe('ACTIVE');
    expect((await context.vault.describeKey(wallet.kmsKeyId)).state).toBe('Enabled');

    const before = Date.now();
    const deleted = await change('DELETE', `/v1/wallets/${wallet.signatureId}`, {
      confirm: wallet.signatureId,
      pendingWindowDays: 7,
    });
    expect(deleted.body.status).toBe('PENDING_DELETION');
    const days = (new Date(String(deleted.body.deletionDate)).getTime() - before) / DAY_MS;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);
    for (const keyId of [wallet.kmsKeyId, String(address.body.kmsKeyId)]) {
      const key = await context.vault.describeKey(keyId);
      expect(key.state).toBe('PendingDeletion');
      expect(key.deletionDate).toBeInstanceOf(Date);
    }

    const cancelled = await change('POST', `/v1/wallets/${wallet.signatureId}/cancel-deletion`);
    expect(cancelled.body).toMatchObject({ status: 'ACTIVE', deletionDate: null });
    for (const keyId of [wallet.kmsKeyId, String(address.body.kmsKeyId)]) {
      expect((await context.vault.describeKey(keyId)).state).toBe('Enabled');
    }
  });

  it('an unknown signatureId is a 404 problem', async () => {
    const reply = await api('GET', '/v1/wallets/3fa85f64-5717-4562-b3fc-2c963f66afa6');
    expect(reply.status).toBe(404);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    expect(reply.body.type).toBe('urn:kms-signer:problem:not-found');
    expect(reply.body.errors).toEqual([{ field: 'signatureId', reason: 'no such wallet' }]);
  });
});

describe('Idempotency-Key', () => {
  const body = () => ({ userId: `user-${randomSuffix()}`, chain: 'BTC', asset: 'BTC', network: 'testnet' });

  it('a retry returns the same wallet, and KMS holds ONE key tagged with its WalletId', async () => {
    const request = { body: body(), headers: { 'Idempotency-Key': `retry-${randomSuffix()}` } };
    const first = await api('POST', '/v1/wallets', request);
    const retry = await api('POST', '/v1/wallets', request);
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    const signatureId = String(first.body.signatureId);
    expect(await keysTaggedWith(context.kms, application, signatureId)).toHaveLength(1);
  });

  it('two concurrent requests with one key create one wallet and one KMS key', async () => {
    const request = { body: body(), headers: { 'Idempotency-Key': `race-${randomSuffix()}` } };
    const [a, b] = await Promise.all([
      api('POST', '/v1/wallets', request),
      api('POST', '/v1/wallets', request),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.signatureId).toBe(a.body.signatureId);
    expect(await keysTaggedWith(context.kms, application, String(a.body.signatureId))).toHaveLength(1);
  });

  it('the same key with another body is a 422 problem and creates nothing', async () => {
    const key = `mismatch-${randomSuffix()}`;
    const original = body();
    expect(
      (await api('POST', '/v1/wallets', { body: original, headers: { 'Idempotency-Key': key } })).status,
    ).toBe(201);
    const before = await footprint();
    const reply = await api('POST', '/v1/wallets', {
      body: { ...original, network: 'mainnet' },
      headers: { 'Idempotency-Key': key },
    });
    expect(reply.status).toBe(422);
    expect(reply.body.type).toBe('urn:kms-signer:problem:idempotency-mismatch');
    expect(await footprint()).toEqual(before);
  });
});

describe('bad input writes nothing', () => {
  it('neither MongoDB documents nor KMS keys change for rejected requests', async () => {
    const existing = await api('POST', '/v1/wallets', {
      body: { userId: 'keeper', chain: 'TRON', asset: 'TRX', network: 'mainnet' },
    });
    expect(existing.status).toBe(201);
    const id = String(existing.body.signatureId);
    const valid = { userId: 'u', chain: 'ETH', asset: 'ETH', network: 'mainnet' };
    const validTail = ',"chain":"ETH","asset":"ETH","network":"mainnet"}';
    // "user-\xff": a byte that is never valid UTF-8 (a lenient decoder would store U+FFFD).
    const invalidUtf8 = Buffer.concat([
      Buffer.from('{"userId":"user-'),
      Buffer.from([0xff]),
      Buffer.from(`"${validTail}`),
    ]);
    const before = await footprint();

    const rejected: [string, string, Parameters<typeof api>[2], number, string | undefined][] = [
      ['POST', '/v1/wallets', { body: { ...valid, chain: 'DOT' } }, 400, 'chain'],
      ['POST', '/v1/wallets', { body: { ...valid, privateKey: '00' } }, 400, 'privateKey'],
      ['POST', '/v1/wallets', { body: { ...valid, index: '3' } }, 400, 'index'],
      ['POST', '/v1/wallets', { body: { ...valid, userId: undefined } }, 400, 'userId'],
      ['POST', '/v1/wallets', { body: { ...valid, asset: 'DOGE' } }, 400, 'asset'], // checked by the service
      ['POST', '/v1/wallets', { body: { ...valid, label: 'x'.repeat(17_000) } }, 413, undefined],
      [
        'POST',
        '/v1/wallets',
        { body: valid, headers: { 'Idempotency-Key': 'k'.repeat(256) } },
        400,
        'Idempotency-Key',
      ],
      [
        'POST',
        '/v1/wallets',
        { body: valid, headers: { 'content-type': 'text/plain' } },
        415,
        'Content-Type',
      ],
      ['POST', '/v1/wallets', { body: '{"userId":', headers: {} }, 400, '(body)'],
      ['POST', '/v1/wallets', { body: valid, auth: false }, 401, undefined],
      // Readers could disagree on these (issue 17): refused before any validation or write.
      ['POST', '/v1/wallets', { body: `{"userId":"a","userId":"b"${validTail}` }, 400, 'userId'],
      ['POST', '/v1/wallets', { body: `{"userId":"\\ud800"${validTail}` }, 400, 'userId'],
      ['POST', '/v1/wallets', { body: invalidUtf8 }, 400, '(body)'],
      ['POST', '/v1/wallets/batch', { body: { ...valid, count: 0 } }, 400, 'count'],
      ['DELETE', `/v1/wallets/${id}`, { body: { confirm: 'yes' } }, 400, 'confirm'],
      ['DELETE', `/v1/wallets/${id}`, {}, 400, 'confirm'],
      ['GET', `/v1/wallets/${id}/addresses/2147483648`, {}, 400, 'index'],
      ['POST', `/v1/wallets/not-a-uuid/disable`, {}, 400, 'signatureId'],
    ];
    for (const [method, path, options, status, field] of rejected) {
      const reply = await api(method, path, options);
      const label = `${method} ${path} ${JSON.stringify(options).slice(0, 80)}`;
      expect(reply.status, label).toBe(status);
      expect(reply.headers.get('content-type'), label).toBe('application/problem+json');
      if (field !== undefined) {
        const errors = reply.body.errors as { field: string }[] | undefined;
        expect(
          errors?.map((e) => e.field),
          label,
        ).toContain(field);
      }
    }
    expect(await footprint()).toEqual(before);
    expect((await api('GET', `/v1/wallets/${id}`)).body.status).toBe('ACTIVE');
    expect((await context.vault.describeKey(String(existing.body.kmsKeyId))).state).toBe('Enabled');
  });
});

describe('batches over HTTP', () => {
  it('POST /v1/wallets/batch answers 202 at once; polling the link shows it complete', async () => {
    const userId = `batch-${randomSuffix()}`;
    const started = await api('POST', '/v1/wallets/batch', {
      body: { userId, chain: 'LTC', asset: 'LTC', network: 'testnet', count: 2 },
    });
    expect(started.status).toBe(202);
    const self = (started.body.links as { self: string }).self;
    expect(started.headers.get('location')).toBe(self);
    let progress = await api('GET', self);
    const deadline = Date.now() + 60_000;
    while (progress.body.status === 'RUNNING' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      progress = await api('GET', self);
    }
    expect(progress.status).toBe(200);
    expect(progress.body).toMatchObject({ status: 'COMPLETED', count: 2, created: 2, userId });
    const listed = await api('GET', `/v1/wallets?userId=${userId}`);
    const ids = (listed.body.items as { signatureId: string }[]).map((w) => w.signatureId).sort();
    expect(ids).toEqual([...(progress.body.signatureIds as string[])].sort());
  });
});

describe('operations', () => {
  it('/health is 200 with MongoDB and KMS reachable, without credentials', async () => {
    const reply = await api('GET', '/health', { auth: false });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: 'ok', mongo: 'ok', kms: 'ok' });
  });

  it('access logs name the key by digest prefix and never contain the key', () => {
    expect(logs.length).toBeGreaterThan(10);
    expect(JSON.stringify(logs)).not.toContain(API_KEY);
    expect(
      logs
        .filter((l) => l.status === 201)
        .every((l) => l.principal === `api-key:${hashApiKey(API_KEY).slice(0, 8)}`),
    ).toBe(true);
  });
});

describe('Lambda handler on the same context', () => {
  const handler = createLambdaHandler(() => Promise.resolve(context), { env: {}, log: () => undefined });

  it('answers an API Gateway v2 create + get exactly as the Node server does', async () => {
    const input = { userId: `lambda-${randomSuffix()}`, chain: 'BSC', asset: 'BSC', network: 'testnet' };
    const idempotencyKey = `lambda-${randomSuffix()}`;
    const viaLambda = lambdaReply(
      await handler(
        gatewayEvent({
          method: 'POST',
          path: '/v1/wallets',
          body: input,
          headers: { 'idempotency-key': idempotencyKey },
        }),
      ),
    );
    expect(viaLambda.status).toBe(201);
    const wallet = viaLambda.body as WalletJson;
    expect(viaLambda.headers.location).toBe(`/v1/wallets/${wallet.signatureId}`);

    // The same request through the Node server is an idempotent replay of the Lambda's create.
    const viaNode = await api('POST', '/v1/wallets', {
      body: input,
      headers: { 'Idempotency-Key': idempotencyKey },
    });
    expect(viaNode.status).toBe(201);
    expect(viaNode.body).toEqual(wallet);
    expect(viaNode.headers.get('idempotent-replayed')).toBe('true');
    expect(await keysTaggedWith(context.kms, application, wallet.signatureId)).toHaveLength(1);

    const getLambda = lambdaReply(
      await handler(gatewayEvent({ method: 'GET', path: `/v1/wallets/${wallet.signatureId}` })),
    );
    const getNode = await api('GET', `/v1/wallets/${wallet.signatureId}`);
    expect(getLambda.status).toBe(200);
    expect(getNode.status).toBe(200);
    expect(getLambda.body).toEqual(getNode.body);
    expect(getLambda.headers['content-type']).toBe(getNode.headers.get('content-type'));
  });

  it('gives the same problems as the Node server, and refuses events without IAM identity', async () => {
    const bad = { userId: 'u', chain: 'DOT', asset: 'DOT', network: 'mainnet', extra: 1 };
    const lambdaProblem = lambdaReply(
      await handler(gatewayEvent({ method: 'POST', path: '/v1/wallets', body: bad })),
    );
    const nodeProblem = await api('POST', '/v1/wallets', { body: bad });
    expect(lambdaProblem.status).toBe(400);
    const strip = ({ requestId: _r, ...rest }: Record<string, unknown>) => rest;
    expect(strip(lambdaProblem.body as Record<string, unknown>)).toEqual(strip(nodeProblem.body));

    const noIam = lambdaReply(
      await handler(gatewayEvent({ method: 'POST', path: '/v1/wallets', body: bad, iam: false })),
    );
    expect(noIam.status).toBe(401);
    expect(
      lambdaReply(await handler(gatewayEvent({ method: 'GET', path: '/health', iam: false }))).status,
    ).toBe(200);
  });
});
