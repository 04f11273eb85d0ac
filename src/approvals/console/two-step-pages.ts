// The two-step sign-in page: enrolment (the seed as a QR code and as text, then the first code) or, once
// enrolled, since when. Same rules as pages.ts; the QR code is inline SVG (no image request, CSP unchanged).
import { renderSVG } from 'uqr';
import type { Enrolment } from '../two-step/store.js';
import { html, SafeHtml } from './html.js';
import { layout, type Viewer } from './pages.js';

export interface TwoStepPageInput {
  viewer: Viewer;
  /** Set once enrolled. */
  enabledAt: Date | null;
  enrolment: Enrolment | null;
  required: boolean;
  error?: string | null;
}

/** "JBSW Y3DP …": the seed in groups of four, easier to type into an app by hand. */
const grouped = (seed: string) => seed.replace(/(.{4})/g, '$1 ').trim();

export function twoStepPage(input: TwoStepPageInput): string {
  const { viewer, enrolment } = input;
  const body = input.enabledAt
    ? html`<p>Two-step sign-in is on for your account since ${input.enabledAt.toISOString()}.</p>
        <p>Lost the device with your authenticator app? Ask an admin to reset your two-step sign-in.</p>`
    : enrolment
      ? html`${
            input.required ? html`<p>This console requires two-step sign-in. Set it up to continue.</p>` : ''
          }
          <ol>
            <li>Scan this code with an authenticator app (any app for time-based one-time codes).</li>
            <li>Or type this key into it: <code id="two-step-seed">${grouped(enrolment.seed)}</code></li>
            <li>Enter the six-digit code the app shows.</li>
          </ol>
          <figure class="qr">
            ${new SafeHtml(renderSVG(enrolment.uri, { border: 2 }))}
            <figcaption>QR code of your two-step sign-in key for ${viewer.username}</figcaption>
          </figure>
          <form method="post" action="/two-step" class="stack">
            <input type="hidden" name="_csrf" value="${viewer.csrf}" />
            <label for="code">Code from the app</label>
            <input
              id="code"
              name="code"
              inputmode="numeric"
              autocomplete="one-time-code"
              pattern="[0-9 ]{6,7}"
              required
            />
            <button type="submit">Turn on two-step sign-in</button>
          </form>`
      : html`<p>Two-step sign-in could not be started. Reload the page.</p>`;
  return layout(
    'Two-step sign-in',
    html`${input.error ? html`<div class="error" role="alert"><p>${input.error}</p></div>` : ''} ${body}`,
    viewer,
  );
}
