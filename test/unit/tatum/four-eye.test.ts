// The four-eyes check against a local node:http server: 2xx approves; 4xx/5xx, a timeout or a closed
// port refuse; POST carries the pending transaction as JSON.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fourEyeCheck } from '../../../src/tatum/four-eye.js';
import type { TransactionSummary } from '../../../src/signer/index.js';
import {
  FOUR_EYE_SIGNATURE_HEADER,
  FOUR_EYE_TIMESTAMP_HEADER,
  verifyFourEyeRequest,
} from '../../../src/tatum/four-eye-signature.js';
import type { PendingTransaction } from '../../../src/tatum/types.js';

const pending: PendingTransaction = {
  id: '5e6645712b55823de7ea82f1',
  chain: 'ETH',
  serializedTransaction: '{}',
  hashes: ['a'],
};
const decoded: TransactionSummary = {
  chain: 'ETH',
  network: 'mainnet',
  transfers: [{ asset: 'native', to: '0x8ba1f109551bd432803012645ac136ddd64dba72', amount: '1000' }],
  unrecognized: null,
  fee: '21000',
  nonce: '0',
  digests: [{ keyId: 'k', digest: 'ab'.repeat(32), inputIndex: 0 }],
};
const seen: { method: string; url: string; body: string; headers?: IncomingMessage['headers'] }[] = [];
let server: Server;
let base: string;

const readBody = async (req: IncomingMessage) => {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
};

beforeAll(async () => {
  server = createServer((req, res) => {
    void readBody(req).then((body) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body, headers: req.headers });
      if (req.url?.startsWith('/slow/')) return; // never answers
      res.statusCode = req.url?.startsWith('/deny/')
        ? 403
        : req.url?.startsWith('/boom/')
          ? 500
          : req.url?.startsWith('/wait/')
            ? 423
            : 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('fourEyeCheck', () => {
  it('GET {url}/{id}: 2xx approves', async () => {
    expect(await fourEyeCheck(`${base}/ok/`, 'GET', pending, decoded)).toEqual({
      ok: true,
      detail: 'HTTP 204',
    });
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: `/ok/${pending.id}`, body: '' });
  });

  it('POST sends the pending transaction JSON with the decoded transaction', async () => {
    expect((await fourEyeCheck(`${base}/ok`, 'POST', pending, decoded)).ok).toBe(true);
    expect(seen.at(-1)?.method).toBe('POST');
    expect(JSON.parse(seen.at(-1)?.body ?? '')).toEqual({ ...pending, decoded });
  });

  it('refuses on 403; a 500, a timeout and a closed port are outages, not refusals', async () => {
    expect(await fourEyeCheck(`${base}/deny`, 'GET', pending, decoded)).toEqual({
      ok: false,
      detail: 'HTTP 403',
    });
    expect(await fourEyeCheck(`${base}/boom`, 'GET', pending, decoded)).toEqual({
      ok: false,
      unavailable: true,
      detail: 'HTTP 500',
    });
    expect(await fourEyeCheck(`${base}/slow`, 'GET', pending, decoded, 200)).toEqual({
      ok: false,
      unavailable: true,
      detail: 'timeout after 200 ms',
    });
    expect(await fourEyeCheck('http://127.0.0.1:9', 'GET', pending, decoded)).toMatchObject({
      ok: false,
      unavailable: true,
    });
  });

  it('423 means awaiting approval: not approved, not refused', async () => {
    expect(await fourEyeCheck(`${base}/wait`, 'GET', pending, decoded)).toEqual({
      ok: false,
      awaiting: true,
      detail: 'HTTP 423',
    });
  });

  it('with a secret, signs method, path, time and body so that the service can verify them', async () => {
    const secret = 's'.repeat(40);
    await fourEyeCheck(`${base}/ok`, 'POST', pending, decoded, 5_000, secret);
    const request = seen.at(-1);
    const headers = {
      timestamp: request?.headers?.[FOUR_EYE_TIMESTAMP_HEADER] as string,
      signature: request?.headers?.[FOUR_EYE_SIGNATURE_HEADER] as string,
    };
    const parts = { method: 'POST', path: `/ok/${pending.id}`, body: request?.body ?? '' };
    expect(verifyFourEyeRequest(secret, parts, headers)).toBeNull();
    expect(verifyFourEyeRequest('t'.repeat(40), parts, headers)).toBe('bad signature');
    expect(verifyFourEyeRequest(secret, { ...parts, body: '{}' }, headers)).toBe('bad signature');
    expect(verifyFourEyeRequest(secret, { ...parts, path: '/ok/other' }, headers)).toBe('bad signature');
    expect(verifyFourEyeRequest(secret, parts, headers, Date.now() + 600_000)).toBe(
      'timestamp outside the allowed skew',
    );
    expect(verifyFourEyeRequest(secret, parts, { timestamp: undefined, signature: undefined })).toBe(
      'not signed',
    );
  });

  it('an answer cut off before its end is an outage, not an approval', async () => {
    const cutting = createServer((req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"approved":');
      setTimeout(() => req.socket.destroy(), 20);
    });
    await new Promise<void>((resolve) => cutting.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(cutting.address() as AddressInfo).port}`;
      const result = await fourEyeCheck(url, 'GET', pending, decoded, 2_000);
      expect(result).toMatchObject({ ok: false, unavailable: true });
      expect(result.detail).toMatch(/^network error: reading the response failed/);
    } finally {
      cutting.closeAllConnections();
      await new Promise((resolve) => cutting.close(resolve));
    }
  });
});
