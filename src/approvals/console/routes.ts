// The operators' console: sign-in, the pending list, a transaction's decoded detail, votes, the audit log.
// Every POST carries a CSRF token (login: double-submit cookie; signed in: the session's own token)
// checked before anything else; cookies are HttpOnly + SameSite=Strict (+ Secure/__Host- unless disabled).
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { clientOf } from '../client-info.js';
import { canVote } from '../operators.js';
import type { ApprovalsService } from '../service.js';
import { randomToken, sameToken } from '../sessions.js';
import { registerAdminRoutes } from './admin.js';
import { registerTwoStepRoutes } from './two-step.js';
import { CONSOLE_CSS, CONSOLE_JS } from './assets.js';
import { auditPage, detailPage, listPage, loginPage, messagePage, type Viewer } from './pages.js';

/** A text field of a form ('' when missing or a file). */
function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

const PENDING_ID = /^[0-9a-f]{24}$/;
const MAX_REASON = 500;

interface CookieNames {
  session: string;
  login: string;
}

const NOTICES: Record<string, string> = {
  approve: 'Your approval was recorded.',
  reject: 'Your rejection was recorded. The signing loop will not sign this transaction.',
};

export function registerConsoleRoutes(app: Hono, service: ApprovalsService): void {
  new ConsoleRoutes(service).register(app);
}

type Decision = 'approve' | 'reject';

/** One method per route; the session, CSRF and rendering helpers they share. */
class ConsoleRoutes {
  private readonly names: CookieNames;
  private readonly cookieOptions: { path: string; httpOnly: boolean; sameSite: 'Strict'; secure: boolean };

  constructor(private readonly service: ApprovalsService) {
    const secure = service.config.secureCookies;
    this.names = secure
      ? { session: '__Host-approvals-session', login: '__Host-approvals-login' }
      : { session: 'approvals-session', login: 'approvals-login' };
    this.cookieOptions = { path: '/', httpOnly: true, sameSite: 'Strict', secure };
  }

  register(app: Hono): void {
    app.use('*', async (c, next) => {
      await next();
      c.header(
        'content-security-policy',
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      );
      c.header('x-content-type-options', 'nosniff');
      c.header('referrer-policy', 'no-referrer');
      c.header('cache-control', 'no-store');
    });

    app.use('*', this.passwordFirst);
    app.get('/console.css', (c) => c.body(CONSOLE_CSS, 200, { 'content-type': 'text/css; charset=utf-8' }));
    app.get('/console.js', (c) =>
      c.body(CONSOLE_JS, 200, { 'content-type': 'text/javascript; charset=utf-8' }),
    );
    app.get('/health', (c) => c.json({ ok: true }));
    app.get('/login', (c) => this.loginForm(c));
    app.post('/login', (c) => this.login(c));
    app.post('/logout', (c) => this.logout(c));
    app.get('/', (c) => this.list(c));
    app.get('/tx/:id', (c) => this.detail(c));
    app.post('/tx/:id/vote', (c) => this.vote(c));
    app.get('/audit', (c) => this.audit(c));
    registerAdminRoutes(app, this.service, this);
    registerTwoStepRoutes(app, this.service, this);
  }

  /**
   * An operator signed in with a one-time password reaches only the set-password page (and sign-out)
   * until they chose their own; then, where two-step sign-in is required, only the enrolment page until
   * they enrolled. The loop's endpoint and the static files are not operator pages.
   */
  private readonly passwordFirst: MiddlewareHandler = async (c, next) => {
    if (/^\/(password|logout|login|health|console\.(css|js)|four-eye(\/.*)?)$/.test(c.req.path)) {
      await next();
      return undefined;
    }
    const token = getCookie(c, this.names.session);
    const session = token ? await this.service.sessions.find(token) : null;
    if (session && (await this.service.operators.mustChangePassword(session.username))) {
      return c.redirect('/password', 303);
    }
    if (
      session &&
      this.service.config.requireTwoStep &&
      c.req.path !== '/two-step' &&
      (await this.service.twoStep.enabledAt(session.username)) === null
    ) {
      return c.redirect('/two-step', 303);
    }
    await next();
    return undefined;
  };

  async viewerOf(c: Context): Promise<(Viewer & { token: string }) | null> {
    const token = getCookie(c, this.names.session);
    if (!token) return null;
    const session = await this.service.sessions.find(token);
    if (!session) return null;
    const role = await this.service.operators.role(session.username); // a changed role applies at once
    return role ? { username: session.username, role, csrf: session.csrf, token } : null;
  }

  /** The form's _csrf matches the session's token; otherwise audited and refused. */
  async csrfOk(c: Context, viewer: Viewer, form: FormData, pendingId?: string): Promise<boolean> {
    const given = form.get('_csrf');
    if (typeof given === 'string' && sameToken(given, viewer.csrf)) return true;
    await this.service.audit.record({
      actor: viewer.username,
      action: 'csrf-refused',
      detail: `${c.req.method} ${c.req.path} without a valid CSRF token`,
      ...(pendingId ? { pendingId } : {}),
      ...clientOf(c),
    });
    return false;
  }

  csrfRefusal(c: Context, viewer: Viewer | null) {
    return c.html(
      messagePage(
        'Form refused',
        'This form did not come from the console page you are signed in to, or it has expired. Reload the page and try again.',
        viewer,
      ),
      403,
    );
  }

  private async renderDetail(
    c: Context,
    viewer: Viewer,
    id: string,
    messages: { notice?: string | null; error?: string | null },
    status: 200 | 400 | 403 | 409 = 200,
  ) {
    const doc = await this.service.store.get(id);
    if (!doc) return c.html(messagePage('Not found', `No pending transaction ${id} is known.`, viewer), 404);
    const [state, votes, history] = await Promise.all([
      this.service.state(doc),
      this.service.store.votesOn(doc._id, doc.contentHash),
      this.service.audit.recent(50, doc._id),
    ]);
    return c.html(
      detailPage({
        doc,
        state,
        votes,
        history,
        viewer,
        canVote: canVote(viewer.role),
        notice: messages.notice ?? null,
        error: messages.error ?? null,
        approvalTtlMs: this.service.config.approvalTtlMs,
      }),
      status,
    );
  }

  private async loginForm(c: Context) {
    if (await this.viewerOf(c)) return c.redirect('/', 303);
    const csrf = randomToken();
    setCookie(c, this.names.login, csrf, { ...this.cookieOptions, maxAge: 15 * 60 });
    return c.html(loginPage(csrf, null));
  }

  private async login(c: Context) {
    const form = await c.req.formData();
    const expected = getCookie(c, this.names.login);
    const given = form.get('_csrf');
    const client = clientOf(c);
    if (!expected || typeof given !== 'string' || !sameToken(given, expected)) {
      await this.service.audit.record({
        actor: 'anonymous',
        action: 'csrf-refused',
        detail: 'POST /login',
        ...client,
      });
      return this.csrfRefusal(c, null);
    }
    const username = field(form, 'username').slice(0, 64);
    const password = field(form, 'password').slice(0, 1024);
    const code = field(form, 'code').slice(0, 16);
    const result = await this.service.operators.signIn(username, password, client.ip, code);
    if (!result.ok) {
      const locked = result.reason === 'locked';
      await this.service.audit.record({
        actor: username.toLowerCase() || 'anonymous',
        action: locked ? 'login-locked' : 'login-failed',
        detail: locked ? 'too many failed sign-ins' : 'wrong username, password or one-time code',
        ...client,
      });
      const csrf = randomToken();
      setCookie(c, this.names.login, csrf, { ...this.cookieOptions, maxAge: 15 * 60 });
      const message = locked
        ? 'Too many failed sign-ins for this operator. Sign-in is locked for 15 minutes; ask an admin if this was not you.'
        : 'Wrong username, password or one-time code.';
      return c.html(loginPage(csrf, message, username), locked ? 429 : 401);
    }
    deleteCookie(c, this.names.login, this.cookieOptions);
    const token = await this.service.sessions.create(result.username);
    setCookie(c, this.names.session, token, {
      ...this.cookieOptions,
      maxAge: this.service.config.sessionTtlMs / 1000,
    });
    await this.service.audit.record({
      actor: result.username,
      action: 'login',
      detail: result.role,
      ...client,
    });
    return c.redirect('/', 303);
  }

  private async logout(c: Context) {
    const viewer = await this.viewerOf(c);
    if (!viewer) return c.redirect('/login', 303);
    if (!(await this.csrfOk(c, viewer, await c.req.formData()))) return this.csrfRefusal(c, viewer);
    await this.service.sessions.end(viewer.token);
    deleteCookie(c, this.names.session, this.cookieOptions);
    await this.service.audit.record({ actor: viewer.username, action: 'logout', detail: '', ...clientOf(c) });
    return c.redirect('/login', 303);
  }

  private async list(c: Context) {
    const viewer = await this.viewerOf(c);
    if (!viewer) return c.redirect('/login', 303);
    const docs = await this.service.store.list();
    const rows = await Promise.all(
      docs.map(async (doc) => ({
        doc,
        state: await this.service.state(doc),
        job: await this.service.jobState(doc._id),
      })),
    );
    return c.html(listPage(rows, viewer));
  }

  private async detail(c: Context) {
    const viewer = await this.viewerOf(c);
    if (!viewer) return c.redirect('/login', 303);
    const id = c.req.param('id') ?? '';
    if (!PENDING_ID.test(id))
      return c.html(messagePage('Not found', 'That is not a pending transaction id.', viewer), 404);
    return this.renderDetail(c, viewer, id, { notice: NOTICES[c.req.query('done') ?? ''] ?? null });
  }

  private async vote(c: Context) {
    const viewer = await this.viewerOf(c);
    if (!viewer) return c.html(messagePage('Signed out', 'Sign in again to vote.', null, '/login'), 401);
    const id = c.req.param('id') ?? '';
    const form = await c.req.formData();
    if (!(await this.csrfOk(c, viewer, form, id))) return this.csrfRefusal(c, viewer);
    const client = clientOf(c);
    if (!PENDING_ID.test(id))
      return c.html(messagePage('Not found', 'That is not a pending transaction id.', viewer), 404);
    if (!canVote(viewer.role)) {
      await this.service.audit.record({
        actor: viewer.username,
        action: 'forbidden',
        pendingId: id,
        detail: `role ${viewer.role} may not vote`,
        ...client,
      });
      return this.renderDetail(
        c,
        viewer,
        id,
        { error: `Your role (${viewer.role}) may not approve or reject.` },
        403,
      );
    }
    const decision = form.get('decision');
    const reason = field(form, 'reason').trim();
    const hash = field(form, 'contentHash');
    if (decision !== 'approve' && decision !== 'reject') {
      return this.renderDetail(c, viewer, id, { error: 'Choose Approve or Reject.' }, 400);
    }
    if (decision === 'reject' && reason === '') {
      return this.renderDetail(c, viewer, id, { error: 'Give a reason for the rejection.' }, 400);
    }
    if (reason.length > MAX_REASON) {
      return this.renderDetail(
        c,
        viewer,
        id,
        { error: `The reason is longer than ${MAX_REASON} characters.` },
        400,
      );
    }
    return this.recordVote(c, viewer, id, decision, reason, hash, client);
  }

  private async recordVote(
    c: Context,
    viewer: Viewer,
    id: string,
    decision: Decision,
    reason: string,
    hash: string,
    client: ReturnType<typeof clientOf>,
  ) {
    const result = await this.service.store.vote(
      {
        pendingId: id,
        contentHash: hash,
        operator: viewer.username,
        decision,
        reason: reason || null,
        ip: client.ip,
      },
      this.service.config.approvalTtlMs,
    );
    if (result === 'recorded') {
      await this.service.audit.record({
        actor: viewer.username,
        action: decision,
        pendingId: id,
        contentHash: hash,
        detail: reason,
        ...client,
      });
      return c.redirect(`/tx/${id}?done=${decision}`, 303);
    }
    const why = {
      duplicate: `You already ${decision === 'approve' ? 'approved' : 'rejected'} this content; a second vote by the same operator does not count.`,
      changed: 'The transaction changed since you loaded it. Review the new content below before you vote.',
      unknown: `No pending transaction ${id} is known.`,
    }[result];
    await this.service.audit.record({
      actor: viewer.username,
      action: 'vote-refused',
      pendingId: id,
      contentHash: hash,
      detail: `${decision}: ${result}`,
      ...client,
    });
    return this.renderDetail(c, viewer, id, { error: why }, 409);
  }

  private async audit(c: Context) {
    const viewer = await this.viewerOf(c);
    if (!viewer) return c.redirect('/login', 303);
    if (viewer.role !== 'admin')
      return c.html(messagePage('Not allowed', 'Only admins can read the audit log.', viewer), 403);
    return c.html(auditPage(await this.service.audit.recent(500), viewer));
  }
}
