// The API refuses JSON bodies readers could disagree on before the route (and the service) sees them.
import { describe, expect, it } from 'vitest';
import { API_KEY, apiHarness, problemOf, VALID_CREATE } from '../../support/api-harness.js';

const tail = ',"chain":"BTC","asset":"BTC","network":"mainnet"}';

describe('strict JSON request bodies', () => {
  it('a duplicate key is a 400 naming it; the service is never called', async () => {
    const h = apiHarness();
    const problem = problemOf(
      await h.call('POST', '/v1/wallets', { body: `{"userId":"a","userId":"b"${tail}` }),
      400,
    );
    expect(problem.errors).toEqual([{ field: 'userId', in: 'body', reason: 'duplicate key' }]);
    expect(h.service.calls).toEqual([]);
  });

  it('invalid UTF-8 bytes are a 400, not U+FFFD in a stored wallet', async () => {
    const h = apiHarness();
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('{"userId":"u'),
      0xfe,
      ...new TextEncoder().encode(`"${tail}`),
    ]);
    const res = await h.app.request('/v1/wallets', {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: bytes,
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: unknown[] };
    expect(body.errors).toEqual([{ field: '(body)', in: 'body', reason: 'is not valid UTF-8' }]);
    expect(h.service.calls).toEqual([]);
  });

  it('a lone surrogate escape is refused; a valid body still passes to the route', async () => {
    const h = apiHarness();
    problemOf(await h.call('POST', '/v1/wallets', { body: `{"userId":"\\udfff"${tail}` }), 400);
    expect((await h.call('POST', '/v1/wallets', { body: VALID_CREATE })).status).toBe(201);
  });

  it('malformed JSON keeps its malformed-json problem', async () => {
    const h = apiHarness();
    const problem = problemOf(await h.call('POST', '/v1/wallets', { body: '{"userId":' }), 400);
    expect(problem.type).toBe('urn:kms-signer:problem:malformed-json');
  });
});
