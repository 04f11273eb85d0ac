// The admin's operators page and the set-password page. Same rules as pages.ts: labelled controls, table
// headers with scope, notices with role="status", errors with role="alert"; every form works without script.
import { ROLES, type OperatorView, type Role } from '../operators.js';
import { MIN_PASSWORD_LENGTH } from '../passwords.js';
import { html, type SafeHtml } from './html.js';
import { layout, type Viewer } from './pages.js';

export interface OperatorsPageInput {
  operators: OperatorView[];
  viewer: Viewer;
  notice?: string | null;
  error?: string | null;
  /** A one-time password just set, shown this once. */
  oneTime?: { username: string; password: string } | null;
}

function roleSelect(id: string, label: string, selected: Role): SafeHtml {
  return html`<label for="${id}">${label}</label>
    <select id="${id}" name="role">
      ${ROLES.map((r) => html`<option value="${r}" ${r === selected ? html`selected` : ''}>${r}</option>`)}
    </select>`;
}

function statusOf(o: OperatorView): string {
  const parts = [o.disabled ? 'disabled' : 'active'];
  if (o.locked) parts.push('locked out');
  if (o.mustChangePassword) parts.push('must set a password');
  parts.push(o.twoStep ? 'two-step on' : 'no two-step');
  return parts.join(', ');
}

/** One small form per action: a button that names its operator, for screen readers and keyboard users. */
function actionForm(viewer: Viewer, o: OperatorView, action: string, label: string): SafeHtml {
  return html`<form method="post" action="/admin/operators/${o.username}" class="inline">
    <input type="hidden" name="_csrf" value="${viewer.csrf}" />
    <input type="hidden" name="action" value="${action}" />
    <button type="submit" aria-label="${label} ${o.username}">${label}</button>
  </form>`;
}

function operatorActions(viewer: Viewer, o: OperatorView): SafeHtml {
  if (o.username === viewer.username) return html`<span>(you)</span>`;
  return html`<form method="post" action="/admin/operators/${o.username}" class="inline">
      <input type="hidden" name="_csrf" value="${viewer.csrf}" />
      <input type="hidden" name="action" value="role" />
      ${roleSelect(`role-${o.username}`, `Role for ${o.username}`, o.role)}
      <button type="submit" aria-label="Change role of ${o.username}">Change role</button>
    </form>
    ${o.disabled ? actionForm(viewer, o, 'enable', 'Enable') : actionForm(viewer, o, 'disable', 'Disable')}
    ${o.locked ? actionForm(viewer, o, 'unlock', 'Unlock') : ''}
    ${actionForm(viewer, o, 'reset-password', 'Reset password')}
    ${o.twoStep ? actionForm(viewer, o, 'reset-two-step', 'Reset two-step') : ''}`;
}

export function operatorsPage(input: OperatorsPageInput): string {
  const { viewer } = input;
  return layout(
    'Operators',
    html`${input.error ? html`<div class="error" role="alert"><p>${input.error}</p></div>` : ''}
      ${input.notice ? html`<div class="notice" role="status"><p>${input.notice}</p></div>` : ''}
      ${
        input.oneTime
          ? html`<div class="notice" role="status">
              <p>
                One-time password for <strong>${input.oneTime.username}</strong>:
                <code id="one-time-password">${input.oneTime.password}</code>
              </p>
              <p>
                Give it to them over another channel. It is shown only this once; they choose their own
                password when they first sign in with it.
              </p>
            </div>`
          : ''
      }
      <table>
        <caption>
          Console operators
        </caption>
        <thead>
          <tr>
            <th scope="col">Operator</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          ${input.operators.map(
            (o) =>
              html`<tr>
                <th scope="row">${o.username}</th>
                <td>${o.role}</td>
                <td>${statusOf(o)}</td>
                <td>${o.createdAt.toISOString()}</td>
                <td class="actions">${operatorActions(viewer, o)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <section aria-labelledby="add">
        <h2 id="add">Add an operator</h2>
        <form method="post" action="/admin/operators" class="stack">
          <input type="hidden" name="_csrf" value="${viewer.csrf}" />
          <label for="new-username">Username</label>
          <input
            id="new-username"
            name="username"
            required
            autocomplete="off"
            pattern="[a-z0-9][a-z0-9._\\-]{1,62}"
          />
          ${roleSelect('new-role', 'Role', 'approver')}
          <button type="submit">Add operator</button>
          <p class="hint">
            The console makes a one-time password; the operator sets their own at first sign-in.
          </p>
        </form>
      </section>`,
    viewer,
  );
}

export function passwordPage(viewer: Viewer, error: string | null, required: boolean): string {
  return layout(
    'Set your password',
    html`${error ? html`<div class="error" role="alert"><p>${error}</p></div>` : ''}
      ${required ? html`<p>You signed in with a one-time password. Choose your own to continue.</p>` : ''}
      <form method="post" action="/password" class="stack">
        <input type="hidden" name="_csrf" value="${viewer.csrf}" />
        <label for="current">Current password</label>
        <input id="current" name="current" type="password" autocomplete="current-password" required />
        <label for="new-password">New password (at least ${MIN_PASSWORD_LENGTH} characters)</label>
        <input
          id="new-password"
          name="password"
          type="password"
          autocomplete="new-password"
          minlength="${MIN_PASSWORD_LENGTH}"
          required
        />
        <label for="confirm">New password again</label>
        <input id="confirm" name="confirm" type="password" autocomplete="new-password" required />
        <button type="submit">Set password</button>
      </form>`,
    viewer,
  );
}
