// The console's pages. Plain semantic HTML (landmarks, labelled controls, table headers with scope, an
// error summary announced with role="alert"), usable by keyboard and screen reader without any script;
// console.js only adds conveniences.
import { getChain, isChainId } from '../../chains/index.js';
import type { ApprovalAuditRecord } from '../audit.js';
import type { DecodedPending } from '../decode.js';
import type { Role } from '../operators.js';
import type { QuorumState } from '../quorum.js';
import type { PendingDoc, VoteDoc } from '../store.js';
import { html, type SafeHtml } from './html.js';

export interface Viewer {
  username: string;
  role: Role;
  csrf: string;
}

export function layout(title: string, body: SafeHtml, viewer: Viewer | null): string {
  return `<!doctype html>${
    html`<html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} — kms-signer approvals</title>
        <link rel="stylesheet" href="/console.css" />
        <script src="/console.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header>
          <p class="brand"><a href="/">kms-signer approvals</a></p>
          ${
            viewer
              ? html`<nav aria-label="Main">
                    <ul>
                      <li><a href="/">Pending transactions</a></li>
                      ${viewer.role === 'admin' ? html`<li><a href="/audit">Audit log</a></li>` : ''}
                      ${viewer.role === 'admin' ? html`<li><a href="/admin/operators">Operators</a></li>` : ''}
                      <li><a href="/password">Password</a></li>
                      <li><a href="/two-step">Two-step sign-in</a></li>
                    </ul>
                  </nav>
                  <form method="post" action="/logout" class="signout">
                    <input type="hidden" name="_csrf" value="${viewer.csrf}" />
                    <span>Signed in as <strong>${viewer.username}</strong> (${viewer.role})</span>
                    <button type="submit">Sign out</button>
                  </form>`
              : ''
          }
        </header>
        <main id="main" tabindex="-1">
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html>`.value
  }`;
}

export function loginPage(csrf: string, error: string | null, username = ''): string {
  return layout(
    'Sign in',
    html`${error ? html`<div class="error" role="alert"><p>${error}</p></div>` : ''}
      <form method="post" action="/login" class="stack">
        <input type="hidden" name="_csrf" value="${csrf}" />
        <label for="username">Username</label>
        <input id="username" name="username" autocomplete="username" required value="${username}" autofocus />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <label for="code">One-time code <span class="hint">(if you turned on two-step sign-in)</span></label>
        <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" />
        <button type="submit">Sign in</button>
      </form>`,
    null,
  );
}

export function messagePage(title: string, message: string, viewer: Viewer | null, back = '/'): string {
  return layout(
    title,
    html`<div class="error" role="alert"><p>${message}</p></div>
      <p><a href="${back}">Back</a></p>`,
    viewer,
  );
}

/** 1500000000000000000 wei → "1.5 ETH"; tokens (unknown decimals) stay in base units. */
export function formatAmount(chain: string, asset: string, amount: string): string {
  if (asset !== 'native' || !isChainId(chain)) return `${amount} (base units of token ${asset})`;
  const { symbol, decimals } = getChain(chain).nativeAsset;
  const digits = amount.padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''} ${symbol}`;
}

function nativeFee(chain: string, fee: string | null): string {
  return fee === null ? 'not reported for this chain yet' : formatAmount(chain, 'native', fee);
}

/** The signing job's state (src/tatum/jobs.ts) in the operators' words. */
const JOB_TEXT: Record<string, string> = {
  '': 'no job (another loop?)',
  CLAIMED: 'not signed',
  SIGNED: 'signed, broadcasting',
  BROADCAST: 'broadcast',
  FAILED: 'failed',
};

const STATUS_TEXT = { approved: 'Approved', rejected: 'Rejected', awaiting: 'Awaiting approval' } as const;

function status(state: QuorumState): SafeHtml {
  return html`<span class="status ${state.decision}">${STATUS_TEXT[state.decision]}</span>`;
}

function verdict(decoded: DecodedPending): SafeHtml {
  if (decoded.problem) return html`<span class="status rejected">Cannot sign: ${decoded.problem}</span>`;
  if (!decoded.policy.configured) return html`<span class="status neutral">No policy for this chain</span>`;
  return decoded.policy.allowed
    ? html`<span class="status approved">Allowed by policy</span>`
    : html`<span class="status rejected">Denied: ${decoded.policy.reasons.join('; ')}</span>`;
}

function transfersSummary(doc: PendingDoc): SafeHtml {
  const t = doc.decoded.transfers;
  if (t.length === 0) return html`<em>none decoded</em>`;
  return html`<ul class="plain">
    ${t.map((x) => html`<li>${formatAmount(doc.chain, x.asset, x.amount)} → <code>${x.to}</code></li>`)}
  </ul>`;
}

export function listPage(
  rows: { doc: PendingDoc; state: QuorumState; job: string | null }[],
  viewer: Viewer,
): string {
  const body =
    rows.length === 0
      ? html`<p>No pending transactions have been presented by the signing loop yet.</p>`
      : html`<table>
          <caption>
            Transactions the signing loop asked about, newest first
          </caption>
          <thead>
            <tr>
              <th scope="col">Pending id</th>
              <th scope="col">Chain</th>
              <th scope="col">Transfers</th>
              <th scope="col">Policy</th>
              <th scope="col">Approvals</th>
              <th scope="col">Status</th>
              <th scope="col">Signing loop</th>
              <th scope="col">Last change</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              ({ doc, state, job }) =>
                html`<tr>
                  <th scope="row"><a href="/tx/${doc._id}">${doc._id}</a></th>
                  <td>${doc.chain}</td>
                  <td>${transfersSummary(doc)}</td>
                  <td>${verdict(doc.decoded)}</td>
                  <td>${state.approvedBy.length} of ${state.quorum}</td>
                  <td>${status(state)}</td>
                  <td>${JOB_TEXT[job ?? ''] ?? job}</td>
                  <td>
                    <time datetime="${doc.updatedAt.toISOString()}">${doc.updatedAt.toISOString()}</time>
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>`;
  return layout('Pending transactions', body, viewer);
}

export interface DetailInput {
  doc: PendingDoc;
  state: QuorumState;
  votes: VoteDoc[];
  history: ApprovalAuditRecord[];
  viewer: Viewer;
  canVote: boolean;
  notice: string | null;
  error: string | null;
  approvalTtlMs: number;
}

export function detailPage(input: DetailInput): string {
  const { doc, state, viewer } = input;
  const mine = input.votes.filter((v) => v.operator === viewer.username);
  const body = html` ${input.error ? html`<div class="error" role="alert"><p>${input.error}</p></div>` : ''}
    ${input.notice ? html`<div class="notice" role="status"><p>${input.notice}</p></div>` : ''}
    <p>
      ${status(state)} — ${state.approvedBy.length} of ${state.quorum}
      approvals${
        state.approvedBy.length > 0 ? html` (${state.approvedBy.join(', ')})` : ''
      }${state.rejectedBy.length > 0 ? html`; rejected by ${state.rejectedBy.join(', ')}` : ''}${
        state.expired.length > 0 ? html`; expired approvals: ${state.expired.join(', ')}` : ''
      }.
    </p>
    ${decodedSection(input)} ${decisionSection(input, mine)} ${historySection(input)}
    <p><a href="/">Back to the list</a></p>`;
  return layout(`Transaction ${doc._id}`, body, viewer);
}

/** What the transaction does, as decoded (never Tatum's description). */
function decodedSection(input: DetailInput): SafeHtml {
  const { doc } = input;
  const d = doc.decoded;
  return html`<section aria-labelledby="decoded">
    <h2 id="decoded">What this transaction does</h2>
    <dl class="facts">
      <dt>Chain</dt>
      <dd>${d.chain} (${d.network ?? 'network unknown: wallet not found'})</dd>
      <dt>Source wallet${d.wallets.length === 1 ? '' : 's'}</dt>
      <dd>
        <ul class="plain">
          ${d.wallets.map((w) => html`<li><code>${w}</code></li>`)}
        </ul>
        ${
          d.sourceAddresses.length > 0
            ? html`<ul class="plain">
                ${d.sourceAddresses.map((a) => html`<li><code>${a}</code></li>`)}
              </ul>`
            : ''
        }
      </dd>
      <dt>Fee (at most)</dt>
      <dd>${nativeFee(d.chain, d.fee)}</dd>
      <dt>Nonce</dt>
      <dd>${d.nonce ?? 'none (UTXO chain) or not reported'}</dd>
      <dt>Policy verdict</dt>
      <dd>${verdict(d)}</dd>
      <dt>Content</dt>
      <dd>revision ${doc.revision}, SHA-256 <code>${doc.contentHash}</code></dd>
    </dl>
    <table>
      <caption>
        Transfers (decoded from the unsigned transaction, not from Tatum's description)
      </caption>
      <thead>
        <tr>
          <th scope="col">Destination</th>
          <th scope="col">Amount</th>
          <th scope="col">Asset</th>
        </tr>
      </thead>
      <tbody>
        ${d.transfers.map(
          (t) =>
            html`<tr>
              <td><code>${t.to}</code></td>
              <td>${formatAmount(d.chain, t.asset, t.amount)}</td>
              <td>${t.asset === 'native' ? 'native' : html`token <code>${t.asset}</code>`}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

/** The vote form, or why this viewer cannot vote. */
function decisionSection(input: DetailInput, mine: DetailInput['votes']): SafeHtml {
  const { doc, state, viewer } = input;
  return html`<section aria-labelledby="decide">
    <h2 id="decide">Your decision</h2>
    ${
      !input.canVote
        ? html`<p>Your role (${viewer.role}) can view transactions but not approve or reject them.</p>`
        : state.decision === 'rejected'
          ? html`<p>This transaction was rejected; the signing loop will not sign it.</p>`
          : html`${mine.length > 0 ? html`<p>Your votes on this content: ${mine.map((v) => `${v.decision} at ${v.at.toISOString()}`).join(', ')}.</p>` : ''}
              <form method="post" action="/tx/${doc._id}/vote" class="stack vote">
                <input type="hidden" name="_csrf" value="${viewer.csrf}" />
                <input type="hidden" name="contentHash" value="${doc.contentHash}" />
                <label for="reason">Reason (required to reject)</label>
                <textarea id="reason" name="reason" rows="2" maxlength="500"></textarea>
                <div class="buttons">
                  ${state.approvedBy.includes(viewer.username) ? '' : html`<button type="submit" name="decision" value="approve" class="approve">Approve</button>`}
                  <button type="submit" name="decision" value="reject" class="reject">Reject</button>
                </div>
                <p class="hint">
                  An approval counts for ${Math.round(input.approvalTtlMs / 60_000)} minutes and only for the
                  content shown above.
                </p>
              </form>`
    }
  </section>`;
}

function historySection(input: DetailInput): SafeHtml {
  return html`<section aria-labelledby="history">
    <h2 id="history">History</h2>
    <ol class="plain">
      ${input.history.map(
        (h) =>
          html`<li>
            <time datetime="${h.at.toISOString()}">${h.at.toISOString()}</time> ${h.actor}:
            ${h.action}${h.detail ? ` — ${h.detail}` : ''}
          </li>`,
      )}
    </ol>
  </section>`;
}

export function auditPage(records: ApprovalAuditRecord[], viewer: Viewer): string {
  return layout(
    'Audit log',
    html`<table>
      <caption>
        The latest ${records.length} entries, newest first
      </caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Who</th>
          <th scope="col">What</th>
          <th scope="col">Transaction</th>
          <th scope="col">Detail</th>
          <th scope="col">From</th>
        </tr>
      </thead>
      <tbody>
        ${records.map(
          (r) =>
            html`<tr>
              <td>${r.at.toISOString()}</td>
              <td>${r.actor}</td>
              <td>${r.action}</td>
              <td>${r.pendingId ? html`<a href="/tx/${r.pendingId}">${r.pendingId}</a>` : ''}</td>
              <td>${r.detail}</td>
              <td>${r.ip}</td>
            </tr>`,
        )}
      </tbody>
    </table>`,
    viewer,
  );
}
