// The node:http transport that replaced fetch for the signing loop's calls: what fetch did and the Tatum
// client relied on (a timeout over the whole attempt, body included; compressed and BOM-prefixed bodies;
// headers; errors with or without a status), keep-alive reuse, and what it deliberately does not do
// (follow a redirect with the caller's headers).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, HttpRequestError } from '../../../src/util/http-request.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const handlers = new Map<string, Handler>();
const seen: { path: string; headers: IncomingMessage['headers']; body: string; port: number }[] = [];
let base = '';
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    const path = req.url ?? '';
    seen.push({ path, headers: req.headers, body, port: req.socket.remotePort ?? 0 });
    (handlers.get(path) ?? ((_, r) => r.writeHead(404).end()))(req, res, body);
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('httpRequest', () => {
  it('sends method, headers and a UTF-8 body with its length; returns status, headers and text', async () => {
    handlers.set('/echo', (_, res, body) => {
      res.writeHead(201, { 'content-type': 'application/json', 'retry-after': '3' }).end(body);
    });
    const answer = await httpRequest({
      method: 'POST',
      url: `${base}/echo`,
      headers: { 'content-type': 'application/json', 'x-api-key': 'k-1' },
      body: '{"note":"grüß"}',
      timeoutMs: 2_000,
    });
    expect(answer.status).toBe(201);
    expect(answer.text).toBe('{"note":"grüß"}');
    expect(answer.header('Retry-After')).toBe('3');
    expect(answer.header('x-missing')).toBeUndefined();
    const request = seen.at(-1);
    expect(request?.headers).toMatchObject({
      'x-api-key': 'k-1',
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength('{"note":"grüß"}')),
      'user-agent': 'node',
    });
  });

  it('decodes a gzip body and drops a byte-order mark', async () => {
    handlers.set('/gzip', (_, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('\uFEFF{"txId":"ab"}'));
    });
    const answer = await httpRequest({ method: 'GET', url: `${base}/gzip`, headers: {}, timeoutMs: 2_000 });
    expect(answer.text).toBe('{"txId":"ab"}');
  });

  it('returns a redirect as it is, without following it', async () => {
    handlers.set('/moved', (_, res) => res.writeHead(301, { location: `${base}/echo` }).end());
    const before = seen.length;
    const answer = await httpRequest({ method: 'GET', url: `${base}/moved`, headers: {}, timeoutMs: 2_000 });
    expect(answer.status).toBe(301);
    expect(seen.slice(before).map((s) => s.path)).toEqual(['/moved']);
  });

  it('times out over the whole attempt: no answer at all, or a body that stops halfway', async () => {
    handlers.set('/silent', () => undefined);
    handlers.set('/half', (_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"txId":');
    });
    for (const [path, status] of [
      ['/silent', undefined],
      ['/half', 200],
    ] as const) {
      const started = performance.now();
      const error = await failure(
        httpRequest({ method: 'GET', url: `${base}${path}`, headers: {}, timeoutMs: 150 }),
      );
      expect(performance.now() - started).toBeLessThan(1_500);
      expect(error).toBeInstanceOf(HttpRequestError);
      expect(error).toMatchObject({ timedOut: true, status, message: 'timed out after 150 ms' });
    }
  });

  it('a refused connection is a network error without a status', async () => {
    const error = await failure(
      httpRequest({ method: 'GET', url: 'http://127.0.0.1:9/', headers: {}, timeoutMs: 2_000 }),
    );
    expect(error).toMatchObject({ name: 'HttpRequestError', timedOut: false, status: undefined });
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });

  it('an answer cut off mid-body is a read failure with its status', async () => {
    handlers.set('/cut', (req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"partial":');
      setTimeout(() => req.socket.destroy(), 20);
    });
    const error = await failure(
      httpRequest({ method: 'GET', url: `${base}/cut`, headers: {}, timeoutMs: 2_000 }),
    );
    expect(error).toMatchObject({ name: 'HttpRequestError', timedOut: false, status: 200 });
    expect((error as Error).message).toMatch(/^reading the response failed: /);
  });

  it('reuses the connection for consecutive requests', async () => {
    handlers.set('/ok', (_, res) => res.writeHead(200).end('{}'));
    const before = seen.length;
    for (let n = 0; n < 3; n++) {
      await httpRequest({ method: 'GET', url: `${base}/ok`, headers: {}, timeoutMs: 2_000 });
    }
    const ports = new Set(seen.slice(before).map((s) => s.port));
    expect(ports.size).toBe(1);
  });

  it('refuses a scheme other than http and https, and an invalid URL, by a rejected promise', async () => {
    for (const url of ['ftp://127.0.0.1/', 'not a url']) {
      const error = await failure(httpRequest({ method: 'GET', url, headers: {}, timeoutMs: 2_000 }));
      expect(error).toMatchObject({ name: 'HttpRequestError', status: undefined });
    }
  });
});
