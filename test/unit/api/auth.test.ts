// Authentication: bearer API keys checked against sha256 digests, the IAM mode's reliance on API
// Gateway's identity, and that neither keys nor Authorization headers nor bodies reach the logs.
import { describe, expect, it } from 'vitest';
import { resolveApiAuth } from '../../../src/api/auth.js';
import { hashApiKey } from '../../../src/config/index.js';
import { API_KEY, apiHarness, OTHER_API_KEY, problemOf, VALID_CREATE } from '../../support/api-harness.js';

const ARN = 'arn:aws:iam::123456789012:role/tatum-bridge';

describe('api-key mode', () => {
  it('a request without Authorization is 401 with a Bearer challenge, and reaches no service', async () => {
    const h = apiHarness();
    const reply = await h.call('POST', '/v1/wallets', { body: VALID_CREATE, auth: false });
    const problem = problemOf(reply, 401);
    expect(problem.type).toBe('urn:kms-signer:problem:unauthorized');
    expect(problem.detail).toBe('Missing bearer token');
    expect(reply.headers.get('www-authenticate')).toBe('Bearer realm="kms-signer"');
    expect(h.service.calls).toEqual([]);
  });

  it.each([
    ['a wrong key', `Bearer ${API_KEY}x`],
    ['a key differing in one character', `Bearer ${API_KEY.slice(0, -1)}Z`],
    ['the key digest instead of the key', `Bearer ${hashApiKey(API_KEY)}`],
    ['Basic credentials', `Basic ${Buffer.from(`user:${API_KEY}`).toString('base64')}`],
    ['a bare key without scheme', API_KEY],
    ['an empty bearer token', 'Bearer '],
    ['a token with a space', `Bearer ${API_KEY} extra`],
  ])('%s is 401 invalid_token', async (_name, authorization) => {
    const h = apiHarness();
    const reply = await h.call('GET', '/v1/wallets', { auth: false, headers: { authorization } });
    const problem = problemOf(reply, 401);
    expect(problem.detail).toMatch(/bearer token/);
    expect(reply.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="kms-signer"(, error="invalid_token")?/,
    );
    expect(h.service.calls).toEqual([]);
  });

  it('every configured key is accepted, the scheme case-insensitively; the log names the key by digest prefix', async () => {
    const h = apiHarness();
    const first = await h.call('GET', '/v1/wallets', {
      auth: false,
      headers: { authorization: `bearer ${API_KEY}` },
    });
    const second = await h.call('GET', '/v1/wallets', { auth: OTHER_API_KEY });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(h.logs.map((l) => l.principal)).toEqual([
      `api-key:${hashApiKey(API_KEY).slice(0, 8)}`,
      `api-key:${hashApiKey(OTHER_API_KEY).slice(0, 8)}`,
    ]);
  });

  it('unauthenticated callers learn nothing about routes: unknown paths and methods under /v1 are 401 too', async () => {
    const h = apiHarness();
    problemOf(await h.call('GET', '/v1/no-such-thing', { auth: false }), 401);
    problemOf(await h.call('PATCH', '/v1/wallets', { auth: false }), 401);
    problemOf(await h.call('POST', '/v1/wallets', { auth: false, body: '{not json' }), 401);
  });

  it('/health and /openapi.json need no credentials', async () => {
    const h = apiHarness();
    expect((await h.call('GET', '/health', { auth: false })).status).toBe(200);
    expect((await h.call('GET', '/openapi.json', { auth: false })).status).toBe(200);
  });

  it('logs carry neither keys, nor Authorization headers, nor request bodies, nor query strings', async () => {
    const h = apiHarness();
    const headers = { 'Idempotency-Key': 'idem-secret-123' };
    await h.call('POST', '/v1/wallets', { body: { ...VALID_CREATE, label: 'body-marker-xyz' }, headers });
    await h.call('GET', '/v1/wallets?userId=query-marker-abc');
    await h.call('GET', '/v1/wallets', { auth: 'wrong-key-marker' });
    const text = JSON.stringify(h.logs);
    for (const secret of [
      API_KEY,
      'wrong-key-marker',
      'body-marker-xyz',
      'query-marker-abc',
      'idem-secret-123',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text.toLowerCase()).not.toContain('authorization');
    expect(h.logs).toHaveLength(3);
    expect(h.logs[0]).toMatchObject({
      level: 'info',
      msg: 'request',
      method: 'POST',
      path: '/v1/wallets',
      route: '/v1/wallets',
      status: 201,
      requestId: expect.any(String) as unknown,
      durationMs: expect.any(Number) as unknown,
    });
    expect(h.logs[2]).toMatchObject({ status: 401 });
    expect(h.logs[2]?.principal).toBeUndefined();
  });
});

describe('iam mode', () => {
  const iamEvent = (iam: unknown) => ({
    event: {},
    requestContext: { requestId: 'gw-req-1', authorizer: { iam } },
  });

  it('trusts the IAM identity API Gateway put in the event, ignoring any bearer token', async () => {
    const h = apiHarness({ auth: { mode: 'iam' } });
    const res = await h.app.request('/v1/wallets', {}, iamEvent({ userArn: ARN, accountId: '123456789012' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('gw-req-1');
    expect(h.logs[0]).toMatchObject({ principal: `iam:${ARN}`, requestId: 'gw-req-1' });
  });

  it('fails closed without the gateway identity (e.g. a route deployed without IAM auth, or a plain server)', async () => {
    const h = apiHarness({ auth: { mode: 'iam' } });
    for (const env of [undefined, iamEvent(undefined), iamEvent(null), iamEvent({ userArn: '' })]) {
      const res = await h.app.request(
        '/v1/wallets',
        { headers: { authorization: `Bearer ${API_KEY}` } },
        env,
      );
      expect(res.status).toBe(401);
      const problem = (await res.json()) as { detail: string };
      expect(problem.detail).toMatch(/API Gateway IAM authorization/);
    }
    expect(h.service.calls).toEqual([]);
  });
});

describe('resolveApiAuth', () => {
  const digest = hashApiKey(API_KEY);

  it('defaults to the fallback mode and normalises digests', () => {
    expect(resolveApiAuth(undefined, [digest.toUpperCase()])).toEqual({
      mode: 'api-key',
      keyHashes: [digest],
    });
    expect(resolveApiAuth('', [], 'iam')).toEqual({ mode: 'iam' });
    expect(resolveApiAuth('iam', [])).toEqual({ mode: 'iam' });
  });

  it('refuses an api-key mode without digests, a malformed digest, and unknown modes', () => {
    expect(() => resolveApiAuth('api-key', [])).toThrow(/at least one digest/);
    expect(() => resolveApiAuth('api-key', ['abc'])).toThrow(/entry 1 is not a sha256 hex digest/);
    expect(() => resolveApiAuth('none', [digest])).toThrow(/API_AUTH must be "api-key" or "iam"/);
  });
});
