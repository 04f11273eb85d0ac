// The approvals service as one Hono app: the loop-facing endpoint (loop-route.ts) and the operators'
// console (console/routes.ts). Served by server.ts; the same app could sit behind a Lambda adapter.
import { Hono } from 'hono';
import { registerConsoleRoutes } from './console/routes.js';
import { messagePage } from './console/pages.js';
import { registerLoopRoute } from './loop-route.js';
import type { ApprovalsService } from './service.js';

export function createApprovalsApp(
  service: ApprovalsService,
  log: (entry: Record<string, unknown>) => void,
): Hono {
  const app = new Hono();
  registerLoopRoute(app, service);
  registerConsoleRoutes(app, service);
  app.notFound((c) => c.html(messagePage('Not found', 'There is no such page.', null), 404));
  app.onError((error, c) => {
    log({ level: 'error', msg: 'request failed', path: c.req.path, error: error.message });
    return c.html(
      messagePage('Something went wrong', 'The request failed; nothing was changed. Try again.', null),
      500,
    );
  });
  return app;
}
