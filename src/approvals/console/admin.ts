// The admin's operator management (add with a one-time password, change role, disable/enable, unlock a
// locked-out operator, reset a password) and every operator's set-password page. Each POST checks the
// session's CSRF token first; each change is written to approval_audit with who, what and from where.
import { randomBytes } from 'node:crypto';
import type { Context, Hono } from 'hono';
import type { ApprovalAuditAction } from '../audit.js';
import { clientOf } from '../client-info.js';
import { normalizeUsername, ROLES, type Role } from '../operators.js';
import { MIN_PASSWORD_LENGTH } from '../passwords.js';
import type { ApprovalsService } from '../service.js';
import { operatorsPage, passwordPage, type OperatorsPageInput } from './admin-pages.js';
import { messagePage, type Viewer } from './pages.js';

/** What the admin routes need from the console: the signed-in operator and the CSRF check. */
export interface ConsoleAccess {
  viewerOf(c: Context): Promise<Viewer | null>;
  csrfOk(c: Context, viewer: Viewer, form: FormData): Promise<boolean>;
  csrfRefusal(c: Context, viewer: Viewer | null): Response | Promise<Response>;
}

/** ≈120 bits, URL-safe: typed once by the operator, then replaced. */
const oneTimePassword = () => randomBytes(15).toString('base64url');

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

type Outcome = Pick<OperatorsPageInput, 'notice' | 'error' | 'oneTime'> & { status?: 200 | 400 | 404 | 409 };

export function registerAdminRoutes(app: Hono, service: ApprovalsService, access: ConsoleAccess): void {
  const admin = new AdminRoutes(service, access);
  app.get('/admin/operators', (c) => admin.guarded(c, null, async (viewer) => admin.page(c, viewer, {})));
  app.post('/admin/operators', async (c) => {
    const form = await c.req.formData();
    return admin.guarded(c, form, (viewer) => admin.add(c, viewer, form));
  });
  app.post('/admin/operators/:name', async (c) => {
    const form = await c.req.formData();
    return admin.guarded(c, form, (viewer) => admin.change(c, viewer, c.req.param('name'), form));
  });
  app.get('/password', async (c) => {
    const viewer = await access.viewerOf(c);
    if (!viewer) return c.redirect('/login', 303);
    return c.html(passwordPage(viewer, null, await service.operators.mustChangePassword(viewer.username)));
  });
  app.post('/password', (c) => admin.setOwnPassword(c));
}

class AdminRoutes {
  constructor(
    private readonly service: ApprovalsService,
    private readonly access: ConsoleAccess,
  ) {}

  /** Signed in, admin, and (for a POST) the form's CSRF token; anything else refused and audited. */
  async guarded(c: Context, form: FormData | null, run: (viewer: Viewer) => Promise<Response>) {
    const viewer = await this.access.viewerOf(c);
    if (!viewer) return c.redirect('/login', 303);
    if (form && !(await this.access.csrfOk(c, viewer, form))) return this.access.csrfRefusal(c, viewer);
    if (viewer.role !== 'admin') {
      await this.record(c, viewer, 'forbidden', `${c.req.method} ${c.req.path}: role ${viewer.role}`);
      return c.html(messagePage('Not allowed', 'Only admins can manage operators.', viewer), 403);
    }
    return run(viewer);
  }

  async page(c: Context, viewer: Viewer, outcome: Outcome) {
    const operators = await this.service.operators.list();
    return c.html(operatorsPage({ operators, viewer, ...outcome }), outcome.status ?? 200);
  }

  async add(c: Context, viewer: Viewer, form: FormData) {
    const username = normalizeUsername(field(form, 'username'));
    const role = field(form, 'role');
    if (!(ROLES as readonly string[]).includes(role)) {
      return this.page(c, viewer, { error: `Choose a role: ${ROLES.join(', ')}.`, status: 400 });
    }
    const password = oneTimePassword();
    try {
      await this.service.operators.create(username, password, role as Role, { mustChangePassword: true });
    } catch (error) {
      const message = error instanceof Error ? error.message.replace(/^username: /, '') : 'invalid';
      return this.page(c, viewer, { error: `Username ${username || '(empty)'}: ${message}.`, status: 400 });
    }
    await this.record(c, viewer, 'operator-created', `${username} (${role}), one-time password`);
    return this.page(c, viewer, {
      notice: `Operator ${username} added as ${role}.`,
      oneTime: { username, password },
    });
  }

  async change(c: Context, viewer: Viewer, name: string, form: FormData) {
    const username = normalizeUsername(name);
    const action = field(form, 'action');
    if (username === viewer.username) {
      return this.page(c, viewer, {
        error: 'You cannot change your own account here; another admin must.',
        status: 409,
      });
    }
    const exists = (await this.service.operators.list()).some((o) => o.username === username);
    if (!exists) return this.page(c, viewer, { error: `No operator ${username}.`, status: 404 });
    const operators = this.service.operators;
    switch (action) {
      case 'role': {
        const role = field(form, 'role');
        if (!(ROLES as readonly string[]).includes(role)) {
          return this.page(c, viewer, { error: `Choose a role: ${ROLES.join(', ')}.`, status: 400 });
        }
        await operators.update(username, { role: role as Role });
        await this.record(c, viewer, 'operator-role-changed', `${username} → ${role}`);
        return this.page(c, viewer, { notice: `${username} is now ${role}.` });
      }
      case 'disable':
      case 'enable': {
        await operators.update(username, { disabled: action === 'disable' });
        await this.record(c, viewer, `operator-${action}d`, username);
        return this.page(c, viewer, { notice: `${username} is ${action}d.` });
      }
      case 'unlock': {
        const cleared = await operators.unlock(username);
        await this.record(c, viewer, 'operator-unlocked', `${username} (${cleared} failed sign-ins cleared)`);
        return this.page(c, viewer, { notice: `${username} can sign in again.` });
      }
      case 'reset-password': {
        const password = oneTimePassword();
        await operators.setPassword(username, password, true);
        await this.record(c, viewer, 'operator-password-reset', `${username}, one-time password`);
        return this.page(c, viewer, {
          notice: `${username} has a new one-time password.`,
          oneTime: { username, password },
        });
      }
      case 'reset-two-step': {
        await this.service.twoStep.reset(username);
        await this.record(c, viewer, 'two-step-reset', username);
        return this.page(c, viewer, { notice: `${username} must set up two-step sign-in again.` });
      }
      default:
        return this.page(c, viewer, { error: 'Unknown action.', status: 400 });
    }
  }

  async setOwnPassword(c: Context) {
    const viewer = await this.access.viewerOf(c);
    if (!viewer) return c.redirect('/login', 303);
    const form = await c.req.formData();
    if (!(await this.access.csrfOk(c, viewer, form))) return this.access.csrfRefusal(c, viewer);
    const required = await this.service.operators.mustChangePassword(viewer.username);
    const refuse = (error: string) => c.html(passwordPage(viewer, error, required), 400);
    const password = field(form, 'password');
    if (!(await this.service.operators.checkPassword(viewer.username, field(form, 'current')))) {
      return refuse('The current password is not right.');
    }
    if (password.length < MIN_PASSWORD_LENGTH) {
      return refuse(`The new password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
    }
    if (password !== field(form, 'confirm')) return refuse('The two new passwords differ.');
    if (password === field(form, 'current')) return refuse('Choose a password other than the current one.');
    await this.service.operators.setPassword(viewer.username, password, false);
    await this.record(c, viewer, 'password-changed', viewer.username);
    return c.redirect('/', 303);
  }

  private record(c: Context, viewer: Viewer, action: ApprovalAuditAction, detail: string) {
    return this.service.audit.record({ actor: viewer.username, action, detail, ...clientOf(c) });
  }
}
