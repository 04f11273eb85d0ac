// GET/POST /two-step: an operator enrols an authenticator app (the first code proves it holds the seed).
// With APPROVALS_REQUIRE_TWO_STEP, routes.ts sends operators without one here before any other page.
import type { Context, Hono } from 'hono';
import { clientOf } from '../client-info.js';
import type { ApprovalsService } from '../service.js';
import type { ConsoleAccess } from './admin.js';
import type { Viewer } from './pages.js';
import { twoStepPage } from './two-step-pages.js';

export function registerTwoStepRoutes(app: Hono, service: ApprovalsService, access: ConsoleAccess): void {
  app.get('/two-step', async (c) => {
    const viewer = await access.viewerOf(c);
    if (!viewer) return c.redirect('/login', 303);
    return show(c, service, viewer, null, 200);
  });
  app.post('/two-step', async (c) => {
    const viewer = await access.viewerOf(c);
    if (!viewer) return c.redirect('/login', 303);
    const form = await c.req.formData();
    if (!(await access.csrfOk(c, viewer, form))) return access.csrfRefusal(c, viewer);
    const code = form.get('code');
    if (!(await service.twoStep.confirm(viewer.username, typeof code === 'string' ? code : ''))) {
      return show(c, service, viewer, 'That code does not match. Enter the code your app shows now.', 400);
    }
    await service.audit.record({
      actor: viewer.username,
      action: 'two-step-enabled',
      detail: '',
      ...clientOf(c),
    });
    return c.redirect('/', 303);
  });
}

async function show(
  c: Context,
  service: ApprovalsService,
  viewer: Viewer,
  error: string | null,
  status: 200 | 400,
) {
  const enabledAt = await service.twoStep.enabledAt(viewer.username);
  // A mistyped code shows the same key again; a fresh visit starts a new one.
  const enrolment = enabledAt
    ? null
    : ((error ? await service.twoStep.pending(viewer.username) : null) ??
      (await service.twoStep.begin(viewer.username)));
  return c.html(
    twoStepPage({ viewer, enabledAt, enrolment, required: service.config.requireTwoStep, error }),
    status,
  );
}
