// Every kind of bad input gets a precise 4xx problem naming the field and the reason — and the wallet
// service is not called at all (so nothing can be written).
import { describe, expect, it } from 'vitest';
import { apiHarness, type CallOptions, problemOf, VALID_CREATE } from '../../support/api-harness.js';

const ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const BATCH = { userId: 'user-1', chain: 'BTC', asset: 'BTC', network: 'mainnet', count: 10 };

interface BadCase {
  name: string;
  method: string;
  path: string;
  options?: CallOptions;
  status: number;
  type: string;
  /** Every one of these must be named in `errors`, with its location and a reason matching. */
  fields?: [field: string, location: string | undefined, reason: RegExp][];
}

const validation = 'urn:kms-signer:problem:validation';

const cases: BadCase[] = [
  // ---- POST /v1/wallets body
  {
    name: 'unknown chain',
    method: 'POST',
    path: '/v1/wallets',
    options: { body: { ...VALID_CREATE, chain: 'DOT' } },
    status: 400,
    type: validation,
    fields: [['chain', 'body', /must be one of BTC, LTC, DOGE, BCH, ETH, BSC, MATIC, EVM_DEV, TRON, CELO/]],
  },
  {
    name: 'BNB Beacon Chain, which shut down',
    method: 'POST',
    path: '/v1/wallets',
    options: { body: { ...VALID_CREATE, chain: 'BNB' } },
    status: 400,
    type: validation,
    fields: [['chain', 'body', /BNB is not supported: BNB Beacon Chain .* shut down in December 2024/]],
  },
  {
    name: 'network the chain does not have',
    method: 'POST',
    path: '/v1/wallets',
    options: { body: { ...VALID_CREATE, chain: 'DOGE', asset: 'DOGE', network: 'regtest' } },
    status: 400,
    type: validation,
    fields: [['network', 'body', /DOGE has no network regtest; use one of mainnet, testnet/]],
  },
  {
    name: 'unknown network',
    method: 'POST',
    path: '/v1/wallets',
    options: { body: { ...VALID_CREATE, network: 'devnet' } },
    status: 400,
    type: validation,
    fields: [['network', 'body', /must be one of mainnet, testnet, regtest/]],
  },
  {
    name: 'every missing field',
    method: 'POST',
    path: '/v1/wallets',
    options: { body: {} },
    status: 400,
    type: validation,
    fields: [
      ['userId', 'body', /^is required$/],
      ['chain', 'body', /^is required$/],
      ['asset', 'body', /^is required$/],
      ['network', 'body', /^is required$/],
    ],
  },
  {
    name: 'no body at all',
    method: 'POST',
    path: '/v1/wallets',
    status: 400,
    type: validation,
    fields: [['userId', 'body', /^is required$/]],
  },
  {
    name: 'extra fields',
    method: 'POST',
    path: '/v1/wallets',
    options: { body: { ...VALID_CREATE, privateKey: 'aa', mnemonic: 'x' } },
    status: 400,
    type: validation,
    fields: [
      ['privateKey', 'body', /^unknown field$/],
      ['mnemonic', 'body', /^unknown field$/],
    ],
  },
  {
    name: 'wrong types',
    method: 'POST',
    path: '/v1/wallets',
    options: { body: { ...VALID_CREATE, userId: 42, label: true, index: '3' } },
    status: 400,
    type: validation,
    fields: [
      ['userId', 'body', /^expected string, received number$/],
      ['label', 'body', /^expected string, received boolean$/],
      ['index', 'body', /^expected number, received string$/],
    ],
  },
  {
    name: 'null for a required field',
    method: 'POST',
    path: '/v1/wallets',
    options: { body: { ...VALID_CREATE, userId: null } },
    status: 400,
    type: validation,
    fields: [['userId', 'body', /^expected string, received null$/]],
  },
  {
    name: 'fractional index',
    method: 'POST',
    path: '/v1/wallets',
    options: { body: { ...VALID_CREATE, index: 1.5 } },
    status: 400,
    type: validation,
    fields: [['index', 'body', /integer/]],
  },
  {
    name: 'negative index',
    method: 'POST',
    path: '/v1/wallets',
    options: { body: { ...VALID_CREATE, index: -1 } },
    status: 400,
    type: validation,
    fields: [['index', 'body', /^must be at least 0$/]],
  },
  {
    name: 'index beyond 2^31-1',
    method: 'POST',
    path: '/v1/wallets',
    options: { body: { ...VALID_CREATE, index: 2 ** 31 } },
    status: 400,
    type: validation,
    fields: [['index', 'body', /^must be at most 2147483647$/]],
  },
  {
    name: 'empty userId and a control character in the label',
    method: 'POST',
    path: '/v1/wallets',
    options: { body: { ...VALID_CREATE, userId: '', label: 'a\nb' } },
    status: 400,
    type: validation,
    fields: [
      ['userId', 'body', /^must not be empty$/],
      ['label', 'body', /^must not contain control characters$/],
    ],
  },
  {
    name: 'asset with spaces',
    method: 'POST',
    path: '/v1/wallets',
    options: { body: { ...VALID_CREATE, asset: 'B T C' } },
    status: 400,
    type: validation,
    fields: [['asset', 'body', /^must be 1 to 32 letters/]],
  },
  {
    name: 'a JSON array instead of an object',
    method: 'POST',
    path: '/v1/wallets',
    options: { body: [VALID_CREATE] },
    status: 400,
    type: validation,
    fields: [['(body)', 'body', /^expected object, received array$/]],
  },
  {
    name: 'JSON null',
    method: 'POST',
    path: '/v1/wallets',
    options: { body: 'null' },
    status: 400,
    type: validation,
    fields: [['(body)', 'body', /^expected object, received null$/]],
  },
  {
    name: 'malformed JSON',
    method: 'POST',
    path: '/v1/wallets',
    options: { body: '{"userId": "u", ' },
    status: 400,
    type: 'urn:kms-signer:problem:malformed-json',
    fields: [['(body)', 'body', /not valid JSON/]],
  },
  {
    name: 'text/plain body',
    method: 'POST',
    path: '/v1/wallets',
    options: { body: JSON.stringify(VALID_CREATE), contentType: 'text/plain' },
    status: 415,
    type: 'urn:kms-signer:problem:unsupported-media-type',
    fields: [['Content-Type', 'header', /must be application\/json/]],
  },
  {
    name: 'form-encoded body',
    method: 'POST',
    path: '/v1/wallets',
    options: { body: 'userId=u&chain=BTC', contentType: 'application/x-www-form-urlencoded' },
    status: 415,
    type: 'urn:kms-signer:problem:unsupported-media-type',
  },
  {
    name: 'body over 16 KiB',
    method: 'POST',
    path: '/v1/wallets',
    options: { body: { ...VALID_CREATE, label: 'x'.repeat(17_000) } },
    status: 413,
    type: 'urn:kms-signer:problem:payload-too-large',
  },
  // ---- Idempotency-Key: 1..255 printable ASCII
  ...[
    ['longer than 255 characters', 'k'.repeat(256)],
    ['empty', ''],
    ['non-ASCII', 'clé'],
  ].map(([what, key]): BadCase => ({
    name: `Idempotency-Key ${what}`,
    method: 'POST',
    path: '/v1/wallets',
    options: { body: VALID_CREATE, headers: { 'Idempotency-Key': key ?? '' } },
    status: 400,
    type: validation,
    fields: [['Idempotency-Key', 'header', /1 to 255 printable ASCII/]],
  })),
  // ---- path parameters
  {
    name: 'signatureId that is not a UUID',
    method: 'GET',
    path: '/v1/wallets/not-a-uuid',
    status: 400,
    type: validation,
    fields: [['signatureId', 'path', /^must be a UUID$/]],
  },
  {
    name: 'signatureId that is not a UUID (disable)',
    method: 'POST',
    path: '/v1/wallets/12345/disable',
    status: 400,
    type: validation,
    fields: [['signatureId', 'path', /^must be a UUID$/]],
  },
  ...['abc', '-1', '01', '1.0', '2147483648', '99999999999999999999'].map((index): BadCase => ({
    name: `address index ${index}`,
    method: 'GET',
    path: `/v1/wallets/${ID}/addresses/${index}`,
    status: 400,
    type: validation,
    fields: [['index', 'path', /must be (a non-negative decimal integer|at most 2147483647)/]],
  })),
  {
    name: 'batchId with a dot',
    method: 'GET',
    path: '/v1/wallets/batch/a.b',
    status: 400,
    type: validation,
    fields: [['batchId', 'path', /letters, digits/]],
  },
  // ---- list query
  ...(
    [
      ['limit=0', 'limit', /^must be at least 1$/],
      ['limit=101', 'limit', /^must be at most 100$/],
      ['limit=ten', 'limit', /non-negative decimal integer/],
      ['chain=DOT', 'chain', /must be one of/],
      ['status=GONE', 'status', /must be one of CREATING, ACTIVE, DISABLED, PENDING_DELETION/],
      ['network=main', 'network', /must be one of mainnet, testnet, regtest/],
      ['sort=desc', 'sort', /^unknown field$/],
      ['chain=BTC&chain=ETH', 'chain', /^expected one value, received 2$/],
      ['limit=1&limit=2', 'limit', /^expected string, received array$/],
      ['userId=', 'userId', /^must not be empty$/],
    ] as const
  ).map(([query, field, reason]): BadCase => ({
    name: `list with ${query}`,
    method: 'GET',
    path: `/v1/wallets?${query}`,
    status: 400,
    type: validation,
    fields: [[field, 'query', reason]],
  })),
  // ---- DELETE confirmation
  {
    name: 'DELETE without a body',
    method: 'DELETE',
    path: `/v1/wallets/${ID}`,
    status: 400,
    type: validation,
    fields: [['confirm', 'body', /^is required$/]],
  },
  {
    name: 'DELETE with the wrong confirmation',
    method: 'DELETE',
    path: `/v1/wallets/${ID}`,
    options: { body: { confirm: ID.toUpperCase() } },
    status: 400,
    type: validation,
    fields: [['confirm', 'body', /must repeat the signatureId/]],
  },
  {
    name: 'DELETE with confirm: true',
    method: 'DELETE',
    path: `/v1/wallets/${ID}`,
    options: { body: { confirm: true } },
    status: 400,
    type: validation,
    fields: [['confirm', 'body', /^expected string, received boolean$/]],
  },
  ...[6, 31, '7', 7.5].map((days): BadCase => ({
    name: `DELETE with pendingWindowDays ${JSON.stringify(days)}`,
    method: 'DELETE',
    path: `/v1/wallets/${ID}`,
    options: { body: { confirm: ID, pendingWindowDays: days } },
    status: 400,
    type: validation,
    fields: [
      [
        'pendingWindowDays',
        'body',
        /^(must be at least 7|must be at most 30|must be an integer|expected number, received string)$/,
      ],
    ],
  })),
  {
    name: 'DELETE with an extra field',
    method: 'DELETE',
    path: `/v1/wallets/${ID}`,
    options: { body: { confirm: ID, force: true } },
    status: 400,
    type: validation,
    fields: [['force', 'body', /^unknown field$/]],
  },
  {
    name: 'DELETE with a text/plain body',
    method: 'DELETE',
    path: `/v1/wallets/${ID}`,
    options: { body: JSON.stringify({ confirm: ID }), contentType: 'text/plain' },
    status: 415,
    type: 'urn:kms-signer:problem:unsupported-media-type',
  },
  // ---- batch
  ...(
    [
      [{ ...BATCH, count: 0 }, 'count', /^must be at least 1$/],
      [{ ...BATCH, count: 10_001 }, 'count', /^must be at most 10000$/],
      [{ ...BATCH, count: '5' }, 'count', /received string/],
      [{ ...BATCH, chain: 'DOT' }, 'chain', /must be one of/],
      [{ ...BATCH, userId: undefined }, 'userId', /^is required$/],
      [{ ...BATCH, label: 'x' }, 'label', /^unknown field$/],
    ] as const
  ).map(([body, field, reason]): BadCase => ({
    name: `batch ${field}: ${JSON.stringify(body[field as keyof typeof body] ?? null)}`,
    method: 'POST',
    path: '/v1/wallets/batch',
    options: { body },
    status: 400,
    type: validation,
    fields: [[field, 'body', reason]],
  })),
];

describe('bad input is refused before the wallet service is called', () => {
  it.each(cases)('$name → $status', async ({ method, path, options, status, type, fields }) => {
    const h = apiHarness();
    const reply = await h.call(method, path, options);
    const problem = problemOf(reply, status);
    expect(problem.type).toBe(type);
    expect(problem.status).toBe(status);
    expect(problem.instance).toBe(path.split('?')[0]);
    expect(problem.requestId).toBe(reply.headers.get('x-request-id'));
    for (const [field, location, reason] of fields ?? []) {
      const error = problem.errors?.find((e) => e.field === field);
      expect(error, `${field} named in ${JSON.stringify(problem.errors)}`).toBeDefined();
      expect(error?.in).toBe(location);
      expect(error?.reason).toMatch(reason);
    }
    if (type === validation) expect(problem.detail).toContain(fields?.[0]?.[0]);
    expect(h.service.calls).toEqual([]);
  });

  it('a body of exactly 16 KiB passes the size limit (and fails validation on the long label)', async () => {
    const h = apiHarness();
    const base = JSON.stringify({ ...VALID_CREATE, label: '' });
    const body = JSON.stringify({ ...VALID_CREATE, label: 'x'.repeat(16 * 1024 - base.length) });
    expect(Buffer.byteLength(body)).toBe(16 * 1024);
    const problem = problemOf(await h.call('POST', '/v1/wallets', { body }), 400);
    expect(problem.errors).toEqual([
      { field: 'label', in: 'body', reason: 'must be at most 128 characters' },
    ]);
    const over = await h.call('POST', '/v1/wallets', { body: `${body} ` });
    problemOf(over, 413);
    expect(h.service.calls).toEqual([]);
  });

  it('application/json with a charset and +json media types are accepted', async () => {
    const h = apiHarness();
    for (const contentType of ['application/json; charset=utf-8', 'application/merge-patch+json']) {
      const reply = await h.call('POST', '/v1/wallets', { body: VALID_CREATE, contentType });
      expect(reply.status, contentType).toBe(201);
    }
  });
});

describe('unknown signatureId', () => {
  const routes: [string, string, CallOptions?][] = [
    ['GET', `/v1/wallets/${ID}`],
    ['GET', `/v1/wallets/${ID}/addresses/3`],
    ['POST', `/v1/wallets/${ID}/disable`],
    ['POST', `/v1/wallets/${ID}/enable`],
    ['POST', `/v1/wallets/${ID}/cancel-deletion`],
    ['DELETE', `/v1/wallets/${ID}`, { body: { confirm: ID } }],
  ];

  it.each(routes)('%s %s → 404 naming signatureId, nothing written', async (method, path, options) => {
    const h = apiHarness();
    h.service.seed(VALID_CREATE);
    const before = JSON.stringify([...h.service.wallets.values()]);
    const problem = problemOf(await h.call(method, path, options), 404);
    expect(problem.type).toBe('urn:kms-signer:problem:not-found');
    expect(problem.errors?.[0]?.field).toBe('signatureId');
    expect(JSON.stringify([...h.service.wallets.values()])).toBe(before);
    expect(h.service.keys.get(ID)).toBeUndefined();
  });
});
