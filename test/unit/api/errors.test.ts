// Error mapping: WalletError codes → statuses, unknown routes and methods, internal errors that leak
// nothing, request ids, and /health.
import { describe, expect, it } from 'vitest';
import { WalletError } from '../../../src/wallets/contract.js';
import { apiHarness, problemOf, VALID_CREATE } from '../../support/api-harness.js';

describe('WalletError → problem', () => {
  it.each([
    ['VALIDATION', 400, 'validation'],
    ['NOT_FOUND', 404, 'not-found'],
    ['CONFLICT', 409, 'conflict'],
    ['IDEMPOTENCY_MISMATCH', 422, 'idempotency-mismatch'],
    ['INVALID_STATE', 409, 'invalid-state'],
    ['UNAVAILABLE', 503, 'unavailable'],
  ] as const)('%s → %i', async (code, status, kind) => {
    const h = apiHarness();
    h.service.failNext('createWallet', new WalletError(code, `service said ${code}`, 'asset'));
    const reply = await h.call('POST', '/v1/wallets', { body: VALID_CREATE });
    const problem = problemOf(reply, status);
    expect(problem).toMatchObject({
      type: `urn:kms-signer:problem:${kind}`,
      status,
      detail: `service said ${code}`,
      errors: [{ field: 'asset', reason: `service said ${code}` }],
    });
    expect(reply.headers.get('retry-after')).toBe(status === 503 ? '5' : null);
  });

  it('the service\'s "<field>: <reason>" wording becomes the reason of that field', async () => {
    const h = apiHarness();
    h.service.failNext(
      'createWallet',
      new WalletError('VALIDATION', 'asset: must be one of BTC on BTC', 'asset'),
    );
    const problem = problemOf(await h.call('POST', '/v1/wallets', { body: VALID_CREATE }), 400);
    expect(problem.errors).toEqual([{ field: 'asset', reason: 'must be one of BTC on BTC' }]);
  });

  it('a WalletError without a field has no errors member', async () => {
    const h = apiHarness();
    h.service.failNext('listWallets', new WalletError('UNAVAILABLE', 'MongoDB is unreachable'));
    const problem = problemOf(await h.call('GET', '/v1/wallets'), 503);
    expect(problem.errors).toBeUndefined();
  });
});

describe('internal errors', () => {
  it('are a generic 500 with the request id; message and stack go to the log only', async () => {
    const h = apiHarness();
    const boom = new Error('mongodb://admin:hunter2@db.internal/ exploded');
    h.service.failNext('getWallet', boom);
    const reply = await h.call('GET', '/v1/wallets/3fa85f64-5717-4562-b3fc-2c963f66afa6', {
      headers: { 'x-request-id': 'client-req-42' },
    });
    const problem = problemOf(reply, 500);
    expect(problem).toEqual({
      type: 'urn:kms-signer:problem:internal',
      title: 'Internal server error',
      status: 500,
      detail: 'An internal error occurred; quote request id client-req-42 when reporting it',
      instance: '/v1/wallets/3fa85f64-5717-4562-b3fc-2c963f66afa6',
      requestId: 'client-req-42',
    });
    expect(reply.text).not.toContain('hunter2');
    expect(reply.text).not.toMatch(/at .*\.ts:\d+/);
    const logged = h.logs.find((l) => l.msg === 'unhandled error');
    expect(logged).toMatchObject({ level: 'error', requestId: 'client-req-42' });
    expect(h.logs.find((l) => l.msg === 'request')).toMatchObject({ level: 'error', status: 500 });
  });
});

describe('routing errors', () => {
  it('an unknown route is a 404 problem', async () => {
    const h = apiHarness();
    for (const path of ['/v1/nothing', '/v2/wallets', '/', '/v1/wallets/']) {
      const problem = problemOf(await h.call('GET', path), 404);
      expect(problem.type).toBe('urn:kms-signer:problem:not-found');
      expect(problem.detail).toBe(`No route for GET ${path}`);
    }
  });

  it.each([
    ['PUT', '/v1/wallets', 'POST, GET, HEAD'],
    ['PATCH', '/v1/wallets/3fa85f64-5717-4562-b3fc-2c963f66afa6', 'GET, HEAD, DELETE'],
    ['GET', '/v1/wallets/3fa85f64-5717-4562-b3fc-2c963f66afa6/disable', 'POST'],
    ['DELETE', '/v1/wallets/batch/b-1', 'GET, HEAD'],
    ['POST', '/health', 'GET, HEAD'],
  ])('%s %s → 405 with Allow: %s', async (method, path, allow) => {
    const h = apiHarness();
    const reply = await h.call(method, path);
    const problem = problemOf(reply, 405);
    expect(problem.type).toBe('urn:kms-signer:problem:method-not-allowed');
    expect(reply.headers.get('allow')).toBe(allow);
    expect(h.service.calls).toEqual([]);
  });
});

describe('request ids', () => {
  it('echoes a sane x-request-id and replaces anything else with a UUID', async () => {
    const h = apiHarness();
    const kept = await h.call('GET', '/health', { headers: { 'x-request-id': 'abc-123:4.5_6' } });
    expect(kept.headers.get('x-request-id')).toBe('abc-123:4.5_6');
    const replaced = await h.call('GET', '/health', {
      headers: { 'x-request-id': 'has spaces and "quotes"' },
    });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const fresh = await h.call('GET', '/health');
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('GET /health', () => {
  it('200 when MongoDB and KMS are reachable', async () => {
    const h = apiHarness();
    const reply = await h.call('GET', '/health', { auth: false });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: 'ok', mongo: 'ok', kms: 'ok' });
    expect(reply.headers.get('cache-control')).toBe('no-store');
  });

  it.each([[{ mongo: 'down', kms: 'ok' }], [{ mongo: 'ok', kms: 'down' }]] as const)(
    '503 when one is down: %j',
    async (result) => {
      const h = apiHarness();
      h.service.healthResult = result;
      const reply = await h.call('GET', '/health', { auth: false });
      expect(reply.status).toBe(503);
      expect(reply.body).toEqual({ status: 'unavailable', ...result });
    },
  );

  it('503 when the check throws or does not answer in time', async () => {
    const h = apiHarness({ healthTimeoutMs: 50 });
    h.service.failNext('health', new Error('connection refused'));
    expect((await h.call('GET', '/health', { auth: false })).body).toEqual({
      status: 'unavailable',
      mongo: 'down',
      kms: 'down',
    });
    h.service.health = () => new Promise(() => undefined);
    const started = Date.now();
    const reply = await h.call('GET', '/health', { auth: false });
    expect(reply.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
