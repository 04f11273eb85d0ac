// A loopback HTTP proxy in front of LocalStack that injects the failures real KMS produces
// (throttling, internal errors, 5xx, connection resets, slow answers) and can tamper with answers
// (malformed DER, wrong curve). It records every request so tests can count attempts and pacing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | { kind: 'error'; status: number; type: string; message?: string }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }
  | { kind: 'rewrite'; transform: (body: Record<string, unknown>) => Record<string, unknown> };

export interface RecordedRequest {
  /** KMS operation from X-Amz-Target, e.g. "Sign". */
  operation: string;
  /** performance.now() when the request arrived. */
  at: number;
  fault: Fault['kind'] | 'none';
}

interface Rule {
  operation: string;
  remaining: number;
  fault: Fault;
}

export class FaultProxy {
  readonly requests: RecordedRequest[] = [];
  private rules: Rule[] = [];

  private constructor(
    private readonly server: http.Server,
    private readonly target: URL,
  ) {}

  static async start(targetUrl: string): Promise<FaultProxy> {
    const server = http.createServer();
    const proxy = new FaultProxy(server, new URL(targetUrl));
    server.on('request', (req, res) => {
      proxy.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next `times` requests for `operation` (or every operation with '*') get `fault`. */
  inject(operation: string, fault: Fault, times = 1): void {
    this.rules.push({ operation, remaining: times, fault });
  }

  reset(): void {
    this.rules = [];
    this.requests.length = 0;
  }

  countOf(operation: string): number {
    return this.requests.filter((r) => r.operation === operation).length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }

  private takeFault(operation: string): Fault | undefined {
    const rule = this.rules.find(
      (r) => r.remaining > 0 && (r.operation === operation || r.operation === '*'),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.fault;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.includes('.') ? target.slice(target.indexOf('.') + 1) : target;
    const fault = this.takeFault(operation);
    this.requests.push({ operation, at: performance.now(), fault: fault?.kind ?? 'none' });

    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (fault?.kind === 'error') {
        res.writeHead(fault.status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: fault.type, message: fault.message ?? `injected ${fault.type}` }));
      } else if (fault?.kind === 'reset') {
        req.socket.destroy();
      } else if (fault?.kind === 'delay') {
        setTimeout(() => {
          this.forward(req, body, res);
        }, fault.ms);
      } else {
        this.forward(req, body, res, fault?.kind === 'rewrite' ? fault.transform : undefined);
      }
    });
  }

  private forward(
    req: http.IncomingMessage,
    body: Buffer,
    res: http.ServerResponse,
    transform?: (body: Record<string, unknown>) => Record<string, unknown>,
  ): void {
    const upstream = http.request(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: this.target.host },
      },
      (upstreamRes) => {
        const parts: Buffer[] = [];
        upstreamRes.on('data', (chunk: Buffer) => parts.push(chunk));
        upstreamRes.on('end', () => {
          let payload = Buffer.concat(parts);
          if (transform && upstreamRes.statusCode === 200) {
            payload = Buffer.from(
              JSON.stringify(transform(JSON.parse(payload.toString()) as Record<string, unknown>)),
            );
          }
          const headers = { ...upstreamRes.headers, 'content-length': String(payload.length) };
          delete headers['transfer-encoding'];
          if (!res.destroyed) {
            res.writeHead(upstreamRes.statusCode ?? 502, headers);
            res.end(payload);
          }
        });
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  }
}
