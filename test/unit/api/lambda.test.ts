// The Lambda adapter: API Gateway HTTP API v2 events in, proxy results out, the same answers as the app
// itself; IAM mode by default; the context built once and rebuilt after a failed start.
import { describe, expect, it } from 'vitest';
import { createApiApp } from '../../../src/api/app.js';
import { createLambdaHandler } from '../../../src/api/lambda.js';
import type { ApiLogEntry } from '../../../src/api/types.js';
import { hashApiKey } from '../../../src/config/index.js';
import {
  GATEWAY_CALLER_ARN,
  gatewayEvent,
  lambdaReply,
} from '../../../scripts/fixtures/api-gateway-event.js';
import { API_KEY, VALID_CREATE } from '../../support/api-harness.js';
import { FakeWalletService } from '../../support/fake-wallet-service.js';

function lambda(env: Record<string, string | undefined> = {}) {
  const service = new FakeWalletService();
  const logs: ApiLogEntry[] = [];
  let builds = 0;
  const handler = createLambdaHandler(
    () => {
      builds += 1;
      return Promise.resolve({ config: { apiKeyHashes: [hashApiKey(API_KEY)] }, walletService: service });
    },
    { env, log: (entry) => logs.push(entry) },
  );
  return { handler, service, logs, builds: () => builds };
}

describe('Lambda handler', () => {
  it('answers a v2 create + get like the app does, in iam mode by default', async () => {
    const { handler, service, logs } = lambda();
    const created = lambdaReply(
      await handler(gatewayEvent({ method: 'POST', path: '/v1/wallets', body: VALID_CREATE })),
    );
    expect(created.status).toBe(201);
    const wallet = created.body as { signatureId: string };
    expect(created.headers.location).toBe(`/v1/wallets/${wallet.signatureId}`);
    expect(created.headers['content-type']).toMatch(/^application\/json/);

    const fetched = lambdaReply(
      await handler(gatewayEvent({ method: 'GET', path: `/v1/wallets/${wallet.signatureId}` })),
    );
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created.body);

    // The same service state seen through the app directly (api-key mode) gives the same body.
    const app = createApiApp({
      walletService: service,
      auth: { mode: 'api-key', keyHashes: [hashApiKey(API_KEY)] },
      log: () => undefined,
    });
    const direct = await app.request(`/v1/wallets/${wallet.signatureId}`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(await direct.json()).toEqual(fetched.body);
    expect(logs.map((l) => l.principal)).toEqual([`iam:${GATEWAY_CALLER_ARN}`, `iam:${GATEWAY_CALLER_ARN}`]);
  });

  it('uses the gateway request id, passes query strings, and decodes base64 bodies', async () => {
    const { handler, service } = lambda();
    service.seed(VALID_CREATE);
    service.seed(VALID_CREATE);
    const event = gatewayEvent({ method: 'GET', path: '/v1/wallets?limit=1&chain=BTC' });
    const listed = lambdaReply(await handler(event));
    expect(listed.status).toBe(200);
    expect((listed.body as { items: unknown[] }).items).toHaveLength(1);
    expect(listed.headers['x-request-id']).toBe(
      (event as { requestContext: { requestId: string } }).requestContext.requestId,
    );

    const b64 = lambdaReply(
      await handler(gatewayEvent({ method: 'POST', path: '/v1/wallets', body: VALID_CREATE, base64: true })),
    );
    expect(b64.status).toBe(201);
  });

  it('a route without IAM authorization is refused (401) even with a valid bearer key', async () => {
    const { handler, service } = lambda();
    const reply = lambdaReply(
      await handler(
        gatewayEvent({
          method: 'POST',
          path: '/v1/wallets',
          body: VALID_CREATE,
          iam: false,
          headers: { authorization: `Bearer ${API_KEY}` },
        }),
      ),
    );
    expect(reply.status).toBe(401);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(service.calls).toEqual([]);
  });

  it('API_AUTH=api-key makes the function check bearer keys instead', async () => {
    const { handler } = lambda({ API_AUTH: 'api-key' });
    const without = lambdaReply(
      await handler(gatewayEvent({ method: 'GET', path: '/v1/wallets', iam: false })),
    );
    expect(without.status).toBe(401);
    const withKey = lambdaReply(
      await handler(
        gatewayEvent({
          method: 'GET',
          path: '/v1/wallets',
          iam: false,
          headers: { authorization: `Bearer ${API_KEY}` },
        }),
      ),
    );
    expect(withKey.status).toBe(200);
  });

  it('builds the context once, and again after a failed build', async () => {
    const service = new FakeWalletService();
    let attempts = 0;
    const handler = createLambdaHandler(
      () => {
        attempts += 1;
        if (attempts === 1) return Promise.reject(new Error('MongoDB not reachable yet'));
        return Promise.resolve({ config: { apiKeyHashes: [] }, walletService: service });
      },
      { env: {}, log: () => undefined },
    );
    await expect(handler(gatewayEvent({ method: 'GET', path: '/health' }))).rejects.toThrow(/not reachable/);
    expect(lambdaReply(await handler(gatewayEvent({ method: 'GET', path: '/health' }))).status).toBe(200);
    expect(lambdaReply(await handler(gatewayEvent({ method: 'GET', path: '/health' }))).status).toBe(200);
    expect(attempts).toBe(2);
  });

  it('an invalid API_AUTH fails the start-up, not a request silently', async () => {
    const { handler } = lambda({ API_AUTH: 'open' });
    await expect(handler(gatewayEvent({ method: 'GET', path: '/health' }))).rejects.toThrow(
      /API_AUTH must be/,
    );
  });
});
