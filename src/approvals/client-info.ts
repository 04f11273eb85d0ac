// "From where" for the audit: the TCP peer's address (not X-Forwarded-For, which any client can send;
// behind a load balancer the peer is the balancer — put its access logs next to this audit) and the
// user agent. On Lambda behind an HTTP API the peer is what API Gateway saw: requestContext.http.sourceIp
// (payload format 2.0, docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

interface LambdaBindings {
  requestContext?: { http?: { sourceIp?: unknown } };
}

export function clientOf(c: Context): { ip: string; userAgent: string | null } {
  return { ip: peerAddress(c), userAgent: c.req.header('user-agent')?.slice(0, 200) ?? null };
}

function peerAddress(c: Context): string {
  const lambdaIp = (c.env as LambdaBindings | undefined)?.requestContext?.http?.sourceIp;
  if (typeof lambdaIp === 'string' && lambdaIp !== '') return lambdaIp;
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // not on a Node socket (app.request in tests)
  }
}
