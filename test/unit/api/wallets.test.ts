// Happy paths of every /v1 route against the in-memory wallet service: status, headers, body, and the
// exact call the service received.
import { describe, expect, it } from 'vitest';
import { WalletSchema } from '../../../src/api/schemas.js';
import { hashApiKey } from '../../../src/config/index.js';
import { API_KEY, apiHarness, problemOf, VALID_CREATE, type ApiHarness } from '../../support/api-harness.js';

interface WalletJson {
  signatureId: string;
  status: string;
  label: string | null;
  deletionDate: string | null;
  createdAt: string;
  [key: string]: unknown;
}

interface OperationJson {
  operationId: string;
  signatureId: string;
  links: { self: string; wallet: string };
  [key: string]: unknown;
}

const DAY_MS = 86_400_000;

async function created(h: ReturnType<typeof apiHarness>, body: object = VALID_CREATE): Promise<WalletJson> {
  const reply = await h.call('POST', '/v1/wallets', { body });
  expect(reply.status).toBe(201);
  return reply.body as WalletJson;
}

describe('POST /v1/wallets', () => {
  it('creates a wallet: 201, Location, the public view, and exactly one service call', async () => {
    const h = apiHarness();
    const reply = await h.call('POST', '/v1/wallets', { body: { ...VALID_CREATE, label: 'hot', index: 5 } });
    expect(reply.status).toBe(201);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    const wallet = reply.body as WalletJson;
    expect(reply.headers.get('location')).toBe(`/v1/wallets/${wallet.signatureId}`);
    expect(reply.headers.get('idempotent-replayed')).toBeNull();
    // Exactly the documented fields: nothing the service might add leaks through.
    expect(Object.keys(wallet).sort()).toEqual(Object.keys(WalletSchema.shape).sort());
    expect(wallet).toMatchObject({ ...VALID_CREATE, label: 'hot', status: 'ACTIVE', deletionDate: null });
    expect(new Date(wallet.createdAt).toISOString()).toBe(wallet.createdAt);
    expect(h.service.calls).toEqual([
      { method: 'createWallet', args: [{ ...VALID_CREATE, label: 'hot', index: 5 }, undefined] },
    ]);
  });

  it('with an Idempotency-Key a retry answers 201 with the same wallet and creates nothing new', async () => {
    const h = apiHarness();
    const headers = { 'Idempotency-Key': 'order-7f3a:create wallet' };
    const first = await h.call('POST', '/v1/wallets', { body: VALID_CREATE, headers });
    const retry = await h.call('POST', '/v1/wallets', { body: VALID_CREATE, headers });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    expect(h.service.wallets.size).toBe(1);
    expect(h.service.calls.map((c) => c.args[1])).toEqual([
      headers['Idempotency-Key'],
      headers['Idempotency-Key'],
    ]);
  });

  it('the same Idempotency-Key with another body is a 422 problem and creates nothing', async () => {
    const h = apiHarness();
    const headers = { 'Idempotency-Key': 'k-1' };
    await h.call('POST', '/v1/wallets', { body: VALID_CREATE, headers });
    const reply = await h.call('POST', '/v1/wallets', {
      body: { ...VALID_CREATE, userId: 'user-2' },
      headers,
    });
    const problem = problemOf(reply, 422);
    expect(problem.type).toBe('urn:kms-signer:problem:idempotency-mismatch');
    expect(h.service.wallets.size).toBe(1);
  });
});

describe('reading wallets', () => {
  it('GET /v1/wallets/{signatureId} returns what the create returned', async () => {
    const h = apiHarness();
    const wallet = await created(h);
    const reply = await h.call('GET', `/v1/wallets/${wallet.signatureId}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(wallet);
  });

  it('GET /v1/wallets passes typed filters and pages with nextCursor', async () => {
    const h = apiHarness();
    for (let i = 0; i < 3; i++) h.service.seed({ ...VALID_CREATE, userId: 'u-page' });
    h.service.seed({ ...VALID_CREATE, userId: 'someone-else' });

    const page1 = await h.call(
      'GET',
      '/v1/wallets?userId=u-page&chain=BTC&network=mainnet&status=ACTIVE&limit=2',
    );
    expect(page1.status).toBe(200);
    const body1 = page1.body as { items: WalletJson[]; nextCursor: string | null };
    expect(body1.items).toHaveLength(2);
    expect(body1.nextCursor).toEqual(expect.any(String));
    expect(h.service.calls[0]).toEqual({
      method: 'listWallets',
      args: [{ userId: 'u-page', chain: 'BTC', network: 'mainnet', status: 'ACTIVE', limit: 2 }],
    });

    const page2 = await h.call('GET', `/v1/wallets?userId=u-page&limit=2&cursor=${body1.nextCursor ?? ''}`);
    const body2 = page2.body as { items: WalletJson[]; nextCursor: string | null };
    expect(body2.items).toHaveLength(1);
    expect(body2.nextCursor).toBeNull();
    const ids = [...body1.items, ...body2.items].map((w) => w.signatureId);
    expect(new Set(ids).size).toBe(3);
  });

  it('GET /v1/wallets without a query lists everything', async () => {
    const h = apiHarness();
    h.service.seed(VALID_CREATE);
    const reply = await h.call('GET', '/v1/wallets');
    expect((reply.body as { items: unknown[] }).items).toHaveLength(1);
    expect(h.service.calls[0]?.args).toEqual([{}]);
  });

  it('GET /v1/wallets/{signatureId}/addresses/{index} returns the key at that index', async () => {
    const h = apiHarness();
    const wallet = await created(h);
    const reply = await h.call('GET', `/v1/wallets/${wallet.signatureId}/addresses/3`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      signatureId: wallet.signatureId,
      index: 3,
      address: expect.any(String) as unknown,
      publicKey: expect.stringMatching(/^0[23][0-9a-f]{64}$/) as unknown,
    });
    expect(h.service.calls.at(-1)).toEqual({ method: 'getAddress', args: [wallet.signatureId, 3] });
    const again = await h.call('GET', `/v1/wallets/${wallet.signatureId}/addresses/3`);
    expect(again.body).toEqual(reply.body);
  });
});

describe('wallet lifecycle', () => {
  /** Starts a status change: 202 with the operation and its URL; returns the operation. */
  async function change(h: ApiHarness, method: string, path: string, body?: unknown) {
    const reply = await h.call(method, path, body === undefined ? {} : { body });
    expect(reply.status).toBe(202);
    const operation = reply.body as OperationJson;
    expect(operation.links.self).toBe(
      `/v1/wallets/${operation.signatureId}/operations/${operation.operationId}`,
    );
    expect(reply.headers.get('location')).toBe(operation.links.self);
    const polled = await h.call('GET', operation.links.self);
    expect(polled.status).toBe(200);
    expect(polled.body).toEqual(operation);
    return operation;
  }

  it('disable → enable → delete (default 30 days) → cancel-deletion, each a 202 operation', async () => {
    const h = apiHarness();
    const { signatureId } = await created(h);
    const wallet = async () => (await h.call('GET', `/v1/wallets/${signatureId}`)).body as WalletJson;

    const disabled = await change(h, 'POST', `/v1/wallets/${signatureId}/disable`);
    expect(disabled).toMatchObject({ signatureId, action: 'disable', targetStatus: 'DISABLED' });
    expect((await wallet()).status).toBe('DISABLED');

    await change(h, 'POST', `/v1/wallets/${signatureId}/enable`);
    expect((await wallet()).status).toBe('ACTIVE');

    const before = Date.now();
    const deletion = await change(h, 'DELETE', `/v1/wallets/${signatureId}`, { confirm: signatureId });
    expect(deletion).toMatchObject({ action: 'delete', pendingWindowDays: 30 });
    const days = (new Date((await wallet()).deletionDate ?? 0).getTime() - before) / DAY_MS;
    expect(days).toBeGreaterThan(29.99);
    expect(days).toBeLessThan(30.01);
    expect(
      h.service.calls.find((c) => c.method === 'startWalletOperation' && c.args[1] === 'delete'),
    ).toEqual({ method: 'startWalletOperation', args: [signatureId, 'delete', {}] });

    await change(h, 'POST', `/v1/wallets/${signatureId}/cancel-deletion`);
    expect(await wallet()).toMatchObject({ status: 'ACTIVE', deletionDate: null });
  });

  it('DELETE passes pendingWindowDays through', async () => {
    const h = apiHarness();
    const { signatureId } = await created(h);
    const reply = await h.call('DELETE', `/v1/wallets/${signatureId}`, {
      body: { confirm: signatureId, pendingWindowDays: 7 },
    });
    expect(reply.status).toBe(202);
    expect(h.service.calls.at(-1)).toEqual({
      method: 'startWalletOperation',
      args: [signatureId, 'delete', { pendingWindowDays: 7 }],
    });
  });

  it('a transition from the wrong state is a 409 problem; repeating one that is done is not', async () => {
    const h = apiHarness();
    const { signatureId } = await created(h);
    expect((await h.call('POST', `/v1/wallets/${signatureId}/disable`)).status).toBe(202);
    expect((await h.call('POST', `/v1/wallets/${signatureId}/disable`)).status).toBe(202);
    const notPending = problemOf(await h.call('POST', `/v1/wallets/${signatureId}/cancel-deletion`), 409);
    expect(notPending.type).toBe('urn:kms-signer:problem:invalid-state');
    await h.call('DELETE', `/v1/wallets/${signatureId}`, { body: { confirm: signatureId } });
    const problem = problemOf(await h.call('POST', `/v1/wallets/${signatureId}/enable`), 409);
    expect(problem.detail).toContain('PENDING_DELETION');
  });

  it('an unknown operation, or one of another wallet, is a 404 naming operationId', async () => {
    const h = apiHarness();
    const { signatureId } = await created(h);
    const other = await created(h);
    const operation = await change(h, 'POST', `/v1/wallets/${signatureId}/disable`);
    const elsewhere = `/v1/wallets/${other.signatureId}/operations/${operation.operationId}`;
    const problem = problemOf(await h.call('GET', elsewhere), 404);
    expect(problem.errors).toEqual([{ field: 'operationId', reason: 'no such operation' }]);
    problemOf(await h.call('GET', `/v1/wallets/${signatureId}/operations/not-a-uuid`), 400);
  });

  it('disable/enable/cancel-deletion ignore a JSON body but still refuse an oversized one', async () => {
    const h = apiHarness();
    const { signatureId } = await created(h);
    const reply = await h.call('POST', `/v1/wallets/${signatureId}/disable`, { body: {} });
    expect(reply.status).toBe(202);
    const big = await h.call('POST', `/v1/wallets/${signatureId}/enable`, { body: 'x'.repeat(20_000) });
    problemOf(big, 413);
  });
});

describe('batches', () => {
  const batch = { userId: 'user-1', chain: 'ETH', asset: 'ETH', network: 'testnet', count: 25 };

  it('POST /v1/wallets/batch → 202 with Location and a progress link; GET returns progress', async () => {
    const h = apiHarness();
    const reply = await h.call('POST', '/v1/wallets/batch', { body: batch });
    expect(reply.status).toBe(202);
    const body = reply.body as { batchId: string; links: { self: string } };
    expect(body).toMatchObject({ ...batch, created: 0, status: 'RUNNING', signatureIds: [] });
    expect(body.links.self).toBe(`/v1/wallets/batch/${body.batchId}`);
    expect(reply.headers.get('location')).toBe(body.links.self);
    // The caller is named by its key's digest prefix: the per-caller cap on queued keys counts by it.
    const principal = `api-key:${hashApiKey(API_KEY).slice(0, 8)}`;
    expect(h.service.calls).toEqual([{ method: 'startBatch', args: [{ ...batch, requestedBy: principal }] }]);

    const progress = await h.call('GET', body.links.self);
    expect(progress.status).toBe(200);
    expect(progress.body).toEqual(body);
  });

  it('an unknown batch is a 404 problem', async () => {
    const h = apiHarness();
    const problem = problemOf(await h.call('GET', '/v1/wallets/batch/no-such-batch'), 404);
    expect(problem.type).toBe('urn:kms-signer:problem:not-found');
  });
});
