// The approvals console in a real headless Chromium, against the real approvals server, FerretDB, the
// signing loop, LocalStack KMS, the Tatum sandbox and anvil: two operators approve in the browser and
// only then does the loop sign and broadcast; a rejection fails the job and is reported to Tatum once;
// expired approvals sign nothing; a form without its CSRF token and a viewer's vote are refused. An admin
// manages operators on the Operators page, by keyboard: add (one-time password, then the operator's own),
// change role, unlock a locked-out operator, disable — each audited; a viewer and a token-less form are refused.
// An operator enrols two-step sign-in from its QR page and then needs the code to sign in.
// UPDATE_SCREENSHOTS=1 writes the console screenshots shown in the README to docs/.
import { countingSigner as recordingSigner, evmDevLoopOptions } from '../support/evm-loop.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evmPayload, evmPending } from '../../scripts/sandbox/pending-payloads.js';
import { startTatumSandbox, type TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { APPROVAL_AUDIT, type ApprovalAuditRecord } from '../../src/approvals/audit.js';
import { APPROVAL_VOTES } from '../../src/approvals/store.js';
import { codeAt } from '../../src/approvals/two-step/codes.js';
import { SIGNING_JOBS, type SigningJobDoc } from '../../src/tatum/jobs.js';
import { SigningLoop } from '../../src/tatum/loop.js';
import type { WalletView } from '../../src/wallets/contract.js';
import { OPERATOR_PASSWORD, startApprovals, type ApprovalsHarness } from '../support/approvals.js';
import { launchChromium } from '../support/browser.js';
import { EvmRpc, receiptSchema } from '../support/evm-rpc.js';
import { stackEndpoints } from '../support/stack.js';
import { walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

const DEST = '0x8ba1f109551bd432803012645ac136ddd64dba72';
const TTL_MS = 30 * 60_000;
const SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === '1' ? 'docs' : mkdtempSync(join(tmpdir(), 'approvals-'));
let env: WalletTestEnv;
let sandbox: TatumSandbox;
let approvals: ApprovalsHarness;
let rpc: EvmRpc;
let browser: Browser;
let wallet: WalletView;
let gasPrice: bigint;
let nonce = 0;
const signCalls: string[] = [];

/** Every KMS Sign call goes through here. */
const countingSigner = () =>
  recordingSigner(
    () => env.vault,
    (keyId) => signCalls.push(keyId),
  );

/** One pass of the signing loop for one pending id, four-eyes through the approvals service. */
async function pass(id: string) {
  const loop = new SigningLoop({
    ...evmDevLoopOptions(env, sandbox, countingSigner()),
    externalUrl: approvals.server.fourEyeUrl,
    externalUrlMethod: 'POST',
    fourEyeSecret: approvals.secret,
    transactionIds: [id],
    walletRefreshMs: 0,
  });
  const result = await loop.runPass();
  return result.results.find((r) => r.id === id);
}

const enqueue = (value = 10n ** 15n) =>
  sandbox.enqueue(
    evmPending('EVM_DEV', wallet.signatureId, evmPayload({ to: DEST, value, gasPrice, nonce: nonce++ })),
  );

/** A signed-in operator in their own browser context (own cookies); `lands` is the first page's heading. */
async function operator(
  name: string,
  password = OPERATOR_PASSWORD,
  lands = 'Pending transactions',
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${approvals.server.url}/`);
  await expect.poll(() => page.url()).toContain('/login');
  await signIn(page, name, password);
  await page.getByRole('heading', { name: lands }).waitFor();
  return page;
}

async function signIn(page: Page, name: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function openTransaction(page: Page, id: string): Promise<void> {
  await page.goto(`${approvals.server.url}/`);
  await page.getByRole('link', { name: id }).click();
  await page.getByRole('heading', { name: `Transaction ${id}` }).waitFor();
}

const votes = (id: string) => env.db.collection(APPROVAL_VOTES).countDocuments({ pendingId: id });
const job = (id: string) => env.db.collection<SigningJobDoc>(SIGNING_JOBS).findOne({ _id: id });

beforeAll(async () => {
  env = await walletTestEnv();
  const endpoints = stackEndpoints();
  rpc = new EvmRpc(endpoints.evmRpcUrl);
  gasPrice = (await rpc.gasPrice()) * 2n;
  sandbox = await startTatumSandbox({ evmRpcUrl: endpoints.evmRpcUrl, btcRpc: endpoints.btcRpc });
  ({ wallet } = await env.service.createWallet({
    userId: 'ops',
    chain: 'EVM_DEV',
    asset: 'ETH',
    network: 'testnet',
  }));
  await rpc.setBalance(wallet.address, 10n ** 18n);
  approvals = await startApprovals(env, { approvalTtlMs: TTL_MS, quorum: { default: 2 } });
  for (const [name, role] of [
    ['alice', 'approver'],
    ['bob', 'approver'],
    ['victor', 'viewer'],
    ['ada', 'admin'],
  ] as const) {
    await approvals.service.operators.create(name, OPERATOR_PASSWORD, role);
  }
  browser = await launchChromium();
});

afterAll(async () => {
  await browser.close();
  await approvals.close();
  await sandbox.close();
  await env.close();
});

describe('approvals console in Chromium', () => {
  it('operator A approves → not signed; operator B approves → the loop signs and broadcasts', async () => {
    const id = enqueue();
    expect(await pass(id)).toMatchObject({ outcome: 'WAITING' });
    expect(signCalls).toHaveLength(0);

    const alice = await operator('alice');
    const row = alice.getByRole('row').filter({ hasText: id });
    await expect.poll(() => row.textContent()).toContain('Awaiting approval');
    expect(await row.textContent()).toContain('0.001 ETH');

    await openTransaction(alice, id);
    const facts = await alice.locator('dl.facts').textContent();
    expect(facts).toContain(wallet.signatureId);
    expect(facts).toContain(wallet.address);
    const fact = (term: string) => alice.locator(`dl.facts dt:text-is("${term}") + dd`).textContent();
    expect((await fact('Nonce'))?.trim()).toBe(String(nonce - 1));
    expect((await fact('Fee (at most)'))?.trim()).toMatch(/^0\.\d+ ETH$/);
    expect((await fact('Policy verdict'))?.trim()).toBe('No policy for this chain');
    expect(await alice.locator('table').textContent()).toContain(DEST);
    await alice.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => alice.getByRole('status').textContent()).toContain('Your approval was recorded');
    const summary = (await alice.locator('main > p').first().textContent())?.replace(/\s+/g, ' ').trim();
    expect(summary).toBe('Awaiting approval — 1 of 2 approvals (alice).');
    await alice.screenshot({ path: join(SCREENSHOTS, 'approvals-detail.png'), fullPage: true });

    expect(await pass(id)).toMatchObject({ outcome: 'WAITING' });
    expect(signCalls).toHaveLength(0);
    expect(sandbox.completed.has(id)).toBe(false);

    const bob = await operator('bob');
    await openTransaction(bob, id);
    await bob.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => bob.locator('main').textContent()).toContain('Approved');

    const result = await pass(id);
    expect(result).toMatchObject({ outcome: 'BROADCAST' });
    expect(signCalls).toHaveLength(1);
    const receipt = await rpc.call('eth_getTransactionReceipt', [result?.txId], receiptSchema);
    expect(receipt.status).toBe('0x1');
    expect(receipt.from.toLowerCase()).toBe(wallet.address.toLowerCase());
    expect((await job(id))?.state).toBe('BROADCAST');
    await alice.context().close();
    await bob.context().close();
  });

  it('a rejection → FAILED and reported to Tatum once, nothing signed', async () => {
    const id = enqueue();
    expect(await pass(id)).toMatchObject({ outcome: 'WAITING' });
    const before = signCalls.length;
    const bob = await operator('bob');
    await openTransaction(bob, id);
    // Without a reason the browser does not send the rejection (required by the enhancement script).
    await bob.getByRole('button', { name: 'Reject' }).click();
    expect(await votes(id)).toBe(0);
    await bob.getByLabel('Reason (required to reject)').fill('destination not on our withdrawal list');
    await bob.getByRole('button', { name: 'Reject' }).click();
    await expect.poll(() => bob.getByRole('status').textContent()).toContain('Your rejection was recorded');

    expect(await pass(id)).toMatchObject({ outcome: 'FAILED', error: 'four-eyes check refused: HTTP 403' });
    expect(await pass(id)).toMatchObject({ outcome: 'SKIPPED' });
    expect(sandbox.reportedErrors.filter((e) => e.signatureId === id)).toHaveLength(1);
    expect(signCalls.length).toBe(before);
    expect((await job(id))?.state).toBe('FAILED');
    await bob.context().close();
  });

  it('expired approvals do not sign', async () => {
    const id = enqueue();
    expect(await pass(id)).toMatchObject({ outcome: 'WAITING' });
    {
      // The list now holds one transaction of each kind: broadcast, rejected, awaiting approval.
      const victor = await operator('victor');
      const rows = victor.getByRole('row');
      expect(await rows.count()).toBe(4);
      expect((await rows.nth(1).textContent())?.replace(/\s+/g, ' ')).toContain('Awaiting approval');
      expect((await rows.nth(2).textContent())?.replace(/\s+/g, ' ')).toContain('Rejected');
      expect((await rows.nth(3).textContent())?.replace(/\s+/g, ' ')).toContain('2 of 2 Approved broadcast');
      await victor.screenshot({ path: join(SCREENSHOTS, 'approvals-list.png'), fullPage: true });
      await victor.context().close();
    }
    for (const name of ['alice', 'bob']) {
      const page = await operator(name);
      await openTransaction(page, id);
      await page.getByRole('button', { name: 'Approve' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Your approval was recorded');
      await page.context().close();
    }
    approvals.advance(TTL_MS + 1);
    const before = signCalls.length;
    expect(await pass(id)).toMatchObject({ outcome: 'WAITING' });
    expect(signCalls.length).toBe(before);
    expect(sandbox.completed.has(id)).toBe(false);
    const alice = await operator('alice');
    await openTransaction(alice, id);
    expect(await alice.locator('main').textContent()).toContain('expired approvals: alice, bob');
    await alice.context().close();
  });

  it('a form posted without its CSRF token is refused', async () => {
    const id = enqueue();
    await pass(id);
    const alice = await operator('alice');
    await openTransaction(alice, id);
    // The form as a cross-site page would send it: everything but the token.
    await alice.locator('form.vote input[name="_csrf"]').evaluate((input: unknown) => {
      (input as { remove(): void }).remove();
    });
    await alice.getByRole('button', { name: 'Approve' }).click();
    await alice.getByRole('heading', { name: 'Form refused' }).waitFor();
    expect(await alice.getByRole('alert').textContent()).toContain('did not come from the console page');
    // The same post from outside the page (no token at all), with the operator's cookies.
    const direct = await alice.context().request.post(`${approvals.server.url}/tx/${id}/vote`, {
      form: { decision: 'approve', contentHash: 'x' },
      maxRedirects: 0,
    });
    expect(direct.status()).toBe(403);
    expect(await votes(id)).toBe(0);
    await alice.context().close();
  });

  it('a viewer sees the transaction but cannot approve it', async () => {
    const id = enqueue();
    await pass(id);
    const victor = await operator('victor');
    await openTransaction(victor, id);
    expect(await victor.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await victor.locator('main').textContent()).toContain('can view transactions but not approve');
    // Even a hand-made post with the viewer's valid session and CSRF token is refused.
    const csrf = await victor.locator('input[name="_csrf"]').first().inputValue();
    const contentHash = (await approvals.service.store.get(id))?.contentHash ?? '';
    const response = await victor.context().request.post(`${approvals.server.url}/tx/${id}/vote`, {
      form: { _csrf: csrf, contentHash, decision: 'approve', reason: '' },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(403);
    expect(await votes(id)).toBe(0);
    expect(await pass(id)).toMatchObject({ outcome: 'WAITING' });
    await victor.context().close();
  });

  it('an admin adds, re-roles, unlocks and disables an operator by keyboard, each audited', async () => {
    const ada = await operator('ada');
    // Keyboard only: the nav link, then the add form (typing and Enter).
    await ada.getByRole('link', { name: 'Operators' }).focus();
    await ada.keyboard.press('Enter');
    await ada.getByRole('heading', { name: 'Operators' }).waitFor();
    await ada.getByLabel('Username').focus();
    await ada.keyboard.type('carol');
    await ada.keyboard.press('Tab'); // the role select (default: approver)
    await ada.keyboard.press('Tab'); // the Add operator button
    await ada.keyboard.press('Enter');
    await ada.locator('#one-time-password').waitFor();
    const oneTime = (await ada.locator('#one-time-password').textContent())!.trim();
    expect(oneTime).toMatch(/^[\w-]{20}$/);

    // The one-time password leads only to the set-password page.
    const carol = await operator('carol', oneTime, 'Set your password');
    await carol.goto(`${approvals.server.url}/`);
    await carol.getByRole('heading', { name: 'Set your password' }).waitFor();
    await carol.getByLabel('Current password').fill(oneTime);
    await carol.getByLabel(/^New password \(/).fill('short');
    await carol.getByLabel('New password again').fill('short');
    await carol.getByLabel(/^New password \(/).evaluate((input: unknown) => {
      (input as { removeAttribute(name: string): void }).removeAttribute('minlength'); // the server's check
    });
    await carol.getByRole('button', { name: 'Set password' }).click();
    expect(await carol.getByRole('alert').textContent()).toContain('at least 12 characters');
    await carol.getByLabel('Current password').fill(oneTime);
    await carol.getByLabel(/^New password \(/).fill(OPERATOR_PASSWORD);
    await carol.getByLabel('New password again').fill(OPERATOR_PASSWORD);
    await carol.getByRole('button', { name: 'Set password' }).click();
    await carol.getByRole('heading', { name: 'Pending transactions' }).waitFor();

    // Change role: the row's select and button, by keyboard.
    await ada.getByLabel('Role for carol').selectOption('viewer');
    await ada.getByRole('button', { name: 'Change role of carol' }).focus();
    await ada.keyboard.press('Enter');
    await ada.getByRole('status').filter({ hasText: 'carol is now viewer' }).waitFor();
    await carol.reload();
    expect(await carol.locator('header').textContent()).toContain('(viewer)');

    // Five wrong passwords lock carol out; the admin unlocks her before the window ends.
    const stranger = await (await browser.newContext()).newPage();
    for (let i = 0; i < 5; i++) {
      await stranger.goto(`${approvals.server.url}/login`);
      await signIn(stranger, 'carol', `wrong password, attempt ${i}`);
    }
    await stranger.goto(`${approvals.server.url}/login`);
    await signIn(stranger, 'carol', OPERATOR_PASSWORD);
    expect(await stranger.getByRole('alert').textContent()).toMatch(/locked|too many/i);
    await ada.goto(`${approvals.server.url}/admin/operators`);
    expect(await ada.getByRole('row', { name: /carol/ }).textContent()).toContain('locked out');
    await ada.getByRole('button', { name: 'Unlock carol' }).focus();
    await ada.keyboard.press('Enter');
    await ada.getByRole('status').filter({ hasText: 'carol can sign in again' }).waitFor();
    await stranger.goto(`${approvals.server.url}/login`);
    await signIn(stranger, 'carol', OPERATOR_PASSWORD);
    await stranger.getByRole('heading', { name: 'Pending transactions' }).waitFor();
    await ada.screenshot({ path: join(SCREENSHOTS, 'approvals-operators.png'), fullPage: true });

    // Disabling ends carol's open sessions at once and refuses her sign-in.
    await ada.getByRole('button', { name: 'Disable carol' }).click();
    expect(await ada.getByRole('row', { name: /carol/ }).textContent()).toContain('disabled');
    await carol.goto(`${approvals.server.url}/`);
    await expect.poll(() => carol.url()).toContain('/login');
    await signIn(carol, 'carol', OPERATOR_PASSWORD);
    expect(await carol.getByRole('alert').count()).toBe(1);

    const audit = await env.db
      .collection<ApprovalAuditRecord>(APPROVAL_AUDIT)
      .find({ actor: { $in: ['ada', 'carol'] } })
      .toArray();
    const actions = audit.map((r) => `${r.actor} ${r.action}`);
    for (const expected of [
      'ada operator-created',
      'carol password-changed',
      'ada operator-role-changed',
      'ada operator-unlocked',
      'ada operator-disabled',
    ]) {
      expect(actions).toContain(expected);
    }
    expect(audit.every((r) => r.ip !== 'unknown')).toBe(true);
    for (const page of [ada, carol, stranger]) await page.context().close();
  });

  it('the Operators page refuses a viewer and a form without its CSRF token', async () => {
    const victor = await operator('victor');
    expect(await victor.getByRole('link', { name: 'Operators' }).count()).toBe(0);
    const page = await victor.goto(`${approvals.server.url}/admin/operators`);
    expect(page?.status()).toBe(403);
    const ada = await operator('ada');
    const direct = await ada.context().request.post(`${approvals.server.url}/admin/operators`, {
      form: { username: 'mallory', role: 'admin' },
      maxRedirects: 0,
    });
    expect(direct.status()).toBe(403);
    expect((await approvals.service.operators.list()).map((o) => o.username)).not.toContain('mallory');
    for (const p of [victor, ada]) await p.context().close();
  });

  it('an operator turns on two-step sign-in from the QR page; then the code is needed to sign in', async () => {
    await approvals.service.operators.create('erin', OPERATOR_PASSWORD, 'approver');
    const erin = await operator('erin');
    await erin.getByRole('link', { name: 'Two-step sign-in' }).click();
    await erin.getByRole('heading', { name: 'Two-step sign-in' }).waitFor();
    expect(await erin.locator('figure.qr svg').count()).toBe(1);
    await erin.screenshot({ path: join(SCREENSHOTS, 'approvals-two-step.png'), fullPage: true });
    const seed = (await erin.locator('#two-step-seed').textContent())!.replaceAll(' ', '');
    await erin.getByLabel('Code from the app').fill('000000');
    await erin.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    expect(await erin.getByRole('alert').textContent()).toContain('does not match');
    await erin.getByLabel('Code from the app').fill(codeAt(seed, approvals.service.clock()));
    await erin.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await erin.getByRole('heading', { name: 'Pending transactions' }).waitFor();
    await erin.getByRole('button', { name: 'Sign out' }).click();
    await erin.getByRole('heading', { name: 'Sign in' }).waitFor();

    approvals.advance(30_000); // the enrolment used this step's code
    await signIn(erin, 'erin', OPERATOR_PASSWORD);
    expect(await erin.getByRole('alert').textContent()).toContain(
      'Wrong username, password or one-time code',
    );
    await erin.getByLabel('Password').fill(OPERATOR_PASSWORD);
    await erin.getByLabel('One-time code').fill(codeAt(seed, approvals.service.clock()));
    await erin.getByRole('button', { name: 'Sign in' }).click();
    await erin.getByRole('heading', { name: 'Pending transactions' }).waitFor();
    await erin.context().close();
  });
});
