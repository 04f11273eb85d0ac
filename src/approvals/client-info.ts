// "From where" for the audit: the TCP peer's address (not X-Forwarded-For, which any client can send;
// behind a load balancer the peer is the balancer — put its access logs next to this audit) and the
// user agent.
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

export function clientOf(c: Context): { ip: string; userAgent: string | null } {
  let ip = 'unknown';
  try {
    ip = getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // not on a Node socket (app.request in tests, Lambda)
  }
  return { ip, userAgent: c.req.header('user-agent')?.slice(0, 200) ?? null };
}
