// One HTTP/1.1 request through node:http(s) on keep-alive connections, the body read as text. It replaces
// Node's global fetch for the signing loop's per-transaction calls: fetch goes through undici's WHATWG layer
// (Request/Response/Headers objects, a web stream per body, an AbortSignal and its listeners per call),
// which cost about twice the CPU of node:http per request (bench/issue-16-loop-profile.md, session 25).
// As with `fetch(url, { signal: AbortSignal.timeout(ms) })`, the timeout covers the whole attempt, the
// answer's body included. Unlike fetch, redirects are not followed: a 3xx is returned as it is, so headers
// such as an API key never travel to another Location.
import { Agent as HttpAgent, request as plainRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as tlsRequest } from 'node:https';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { errorMessage } from './error-message.js';

export interface HttpCall {
  method: 'GET' | 'POST';
  url: string;
  headers: Readonly<Record<string, string>>;
  /** Sent as UTF-8 with its content-length. */
  body?: string;
  /** For the whole attempt: connecting, sending, the answer's head and body. */
  timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  /** A response header by name (repeated ones joined by ", "). */
  header(name: string): string | undefined;
  /** The body decoded as UTF-8 (a byte-order mark dropped, as fetch's text() does). */
  text: string;
}

/** The request failed: before an answer (`status` undefined) or while reading its body. */
export class HttpRequestError extends Error {
  override readonly name = 'HttpRequestError';

  constructor(
    message: string,
    readonly timedOut: boolean,
    readonly status: number | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

// Idle connections are closed after 4 s, undici's (fetch's) default keepAliveTimeout, or earlier when the
// server announces a shorter `Keep-Alive: timeout=` — node's Agent applies that hint only below its own
// `timeout` (lib/_http_agent.js keepSocketAlive), hence the explicit value.
const IDLE_MS = 4_000;
const agents = {
  http: new HttpAgent({ keepAlive: true, timeout: IDLE_MS }),
  https: new HttpsAgent({ keepAlive: true, timeout: IDLE_MS }),
};

export function httpRequest(call: HttpCall): Promise<HttpAnswer> {
  const url = URL.parse(call.url);
  if (url === null) return Promise.reject(new HttpRequestError('invalid URL', false, undefined));
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:') {
    return Promise.reject(new HttpRequestError(`unsupported URL scheme ${url.protocol}`, false, undefined));
  }
  const body = call.body === undefined ? undefined : Buffer.from(call.body, 'utf8');
  const headers = {
    // What fetch sent by default; servers behind a WAF may refuse a request without a user agent.
    'user-agent': 'node',
    'accept-encoding': 'gzip, deflate, br',
    ...call.headers,
    ...(body ? { 'content-length': String(body.length) } : {}),
  };
  return new Promise<HttpAnswer>((resolve, reject) => {
    let status: number | undefined;
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const fail = (reason: string, timedOut: boolean, cause?: unknown) => {
      finish(() => {
        reject(new HttpRequestError(reason, timedOut, status, cause === undefined ? undefined : { cause }));
      });
    };
    const send = secure ? tlsRequest : plainRequest;
    const request = send(
      url,
      { method: call.method, headers, agent: secure ? agents.https : agents.http },
      (response) => {
        status = response.statusCode ?? 0;
        readText(response).then(
          (text) => {
            finish(() => {
              resolve({ status: status ?? 0, header: (name) => headerValue(response, name), text });
            });
          },
          (error: unknown) => {
            fail(`reading the response failed: ${errorMessage(error)}`, false, error);
          },
        );
      },
    );
    const timer = setTimeout(() => {
      fail(`timed out after ${call.timeoutMs} ms`, true);
      request.destroy();
    }, call.timeoutMs);
    // Like AbortSignal.timeout's timer: a pending request keeps the process alive through its socket.
    timer.unref();
    request.on('error', (error) => {
      fail(errorMessage(error), false, error);
    });
    request.end(body);
  });
}

/** The response body as text, decoded from gzip/deflate/br when the server compressed it. */
async function readText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of decoded(response)) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function decoded(response: IncomingMessage): Readable {
  const encoding = headerValue(response, 'content-encoding')?.trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : undefined;
  if (!decoder) return response;
  response.on('error', (error) => decoder.destroy(error));
  return response.pipe(decoder);
}

function headerValue(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}
