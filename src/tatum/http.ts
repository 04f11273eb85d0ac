// The HTTP side of talking to Tatum: one JSON POST with the API key and client-version headers, a timeout
// per attempt, retries with exponential backoff (honouring Retry-After) for retryable failures (network,
// timeout, 5xx, 429), and the API key scrubbed from every error and log line, even if a server echoes it.
import { redact } from '../config/index.js';
import { TatumApiError, type TatumAnswer } from './errors.js';
import { errorMessage } from '../util/error-message.js';
import { httpRequest, HttpRequestError, type HttpAnswer } from '../util/http-request.js';

export interface TatumHttpLogEntry {
  level: 'debug' | 'warn';
  msg: string;
  [field: string]: unknown;
}

export interface TatumHttpOptions {
  /** e.g. https://api.tatum.io (no trailing path). */
  baseUrl: string;
  /** The key, or a provider called before each request (e.g. apiKeyFromSecret). */
  apiKey: string | (() => Promise<string>);
  /** Sent as x-ttm-kms-client-version. */
  clientVersion: string;
  /** Per attempt; default 30,000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt for retryable failures; default 3. */
  retries?: number;
  /** First backoff delay; doubles per retry (with jitter), capped at 10 s. Default 500 ms. */
  retryDelayMs?: number;
  /** The HTTP transport (default: node:http keep-alive, src/util/http-request.ts). */
  request?: typeof httpRequest;
  log?: (entry: TatumHttpLogEntry) => void;
}

const MAX_DELAY_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class TatumHttp {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly doRequest: typeof httpRequest;
  /** Last key seen, so that errors can be scrubbed even if a server echoes it back. */
  private knownKey: string | undefined;
  readonly log: (entry: TatumHttpLogEntry) => void;

  constructor(private readonly options: TatumHttpOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = options.retries ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 500;
    this.doRequest = options.request ?? httpRequest;
    this.log = options.log ?? (() => undefined);
    this.knownKey = typeof options.apiKey === 'string' ? options.apiKey : undefined;
  }

  /** Removes the API key from a text that leaves the process (e.g. an error report). */
  scrub(text: string): string {
    return redact(text, [this.knownKey]);
  }

  /** POSTs `body` as JSON; returns the parsed JSON answer (undefined when empty). Throws TatumApiError. */
  post(path: string, body: unknown): Promise<unknown> {
    return this.request('POST', path, body);
  }

  /** GETs `path`; returns the parsed JSON answer (undefined when empty). Throws TatumApiError. */
  get(path: string): Promise<unknown> {
    return this.request('GET', path, undefined);
  }

  private async request(method: 'GET' | 'POST', path: string, body: unknown): Promise<unknown> {
    for (let retry = 0; ; retry++) {
      try {
        return await this.attempt(method, path, body);
      } catch (error) {
        if (!(error instanceof TatumApiError) || !error.retryable || retry >= this.retries) throw error;
        const backoff = Math.min(MAX_DELAY_MS, this.retryDelayMs * 2 ** retry) * (0.75 + Math.random() * 0.5);
        const delay = Math.round(Math.max(backoff, Math.min(error.retryAfterMs ?? 0, MAX_DELAY_MS)));
        this.log({
          level: 'warn',
          msg: 'tatum call failed, retrying',
          path,
          error: error.message,
          retry: retry + 1,
          delayMs: delay,
        });
        await sleep(delay);
      }
    }
  }

  private async apiKey(): Promise<string> {
    const provider = this.options.apiKey;
    if (typeof provider === 'string') return provider;
    try {
      this.knownKey = await provider();
      return this.knownKey;
    } catch (error) {
      throw new TatumApiError(
        `cannot obtain the Tatum API key: ${this.scrub(errorMessage(error))}`,
        undefined,
        false,
      );
    }
  }

  /** One attempt. Throws TatumApiError; returns the parsed JSON body (undefined when empty). */
  private async attempt(method: 'GET' | 'POST', path: string, body: unknown): Promise<unknown> {
    const what = `Tatum ${method} ${path}`;
    const response = await this.send(method, path, body, what);
    const { status, text } = response;
    if (status < 200 || status > 299) {
      const retryable = status >= 500 || status === 429;
      const detail = text.trim() === '' ? '' : `: ${text.trim().slice(0, 500)}`;
      const error = new TatumApiError(this.scrub(`${what}: HTTP ${status}${detail}`), status, retryable);
      const hint = retryAfterMs(response.header('retry-after'));
      if (hint !== undefined) error.retryAfterMs = hint;
      const answer = tatumAnswer(text, (field) => this.scrub(field.slice(0, 500)));
      if (answer !== undefined) error.answer = answer;
      throw error;
    }
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new TatumApiError(
        this.scrub(`${what}: HTTP ${status} with a body that is not JSON: ${text.slice(0, 200)}`),
        status,
        false,
      );
    }
  }

  private async send(method: 'GET' | 'POST', path: string, body: unknown, what: string): Promise<HttpAnswer> {
    const key = await this.apiKey();
    try {
      return await this.doRequest({
        method,
        url: `${this.baseUrl}${path}`,
        headers: {
          ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
          accept: 'application/json',
          'x-api-key': key,
          'x-ttm-kms-client-version': this.options.clientVersion,
        },
        ...(method === 'POST' ? { body: JSON.stringify(body) } : {}),
        timeoutMs: this.timeoutMs,
      });
    } catch (error) {
      const { reason, status } = attemptFailure(error, this.timeoutMs);
      throw new TatumApiError(this.scrub(`${what}: ${reason}`), status, true);
    }
  }
}

/** Why an attempt failed — a timeout, a network error, an answer cut off mid-body: each may pass. */
function attemptFailure(error: unknown, timeoutMs: number): { reason: string; status: number | undefined } {
  if (!(error instanceof HttpRequestError)) {
    return { reason: `network error: ${errorMessage(error)}${causeOf(error)}`, status: undefined };
  }
  const reason = error.timedOut
    ? `timed out after ${String(timeoutMs)} ms`
    : error.status === undefined
      ? `network error: ${error.message}`
      : error.message;
  return { reason, status: error.status };
}

function causeOf(error: unknown): string {
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error ? ` (${cause.message})` : '';
}

/** errorCode and message of Tatum's error body (api_schema.json Error4xx/5xx), when it is such JSON. */
function tatumAnswer(text: string, clean: (field: string) => string): TatumAnswer | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  const { errorCode, message } = (typeof body === 'object' && body !== null ? body : {}) as Record<
    string,
    unknown
  >;
  const answer: TatumAnswer = {
    ...(typeof errorCode === 'string' ? { errorCode: clean(errorCode) } : {}),
    ...(typeof message === 'string' ? { message: clean(message) } : {}),
  };
  return Object.keys(answer).length > 0 ? answer : undefined;
}

function retryAfterMs(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
