// The approvals service's loop-facing endpoint on FerretDB: only HMAC-signed requests are answered,
// unknown ids are 404, a transaction is released (200) only with a quorum of distinct operators and no
// rejection, approvals bind to the content and expire, and one operator's simultaneous approvals count once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evmPayload, evmPending } from '../../scripts/sandbox/pending-payloads.js';
import { APPROVAL_AUDIT, type ApprovalAuditRecord } from '../../src/approvals/audit.js';
import { APPROVAL_OPERATORS } from '../../src/approvals/operators.js';
import { APPROVAL_VOTES } from '../../src/approvals/store.js';
import { codeAt } from '../../src/approvals/two-step/codes.js';
import { signFourEyeRequest } from '../../src/tatum/four-eye-signature.js';
import type { PendingTransaction } from '../../src/tatum/types.js';
import type { WalletView } from '../../src/wallets/contract.js';
import {
  ConsoleClient,
  hiddenValue,
  loopCall,
  OPERATOR_PASSWORD,
  startApprovals,
  type ApprovalsHarness,
} from '../support/approvals.js';
import { legacyScryptHash } from '../support/legacy-password-hash.js';
import { walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

const DEST = '0x8ba1f109551bd432803012645ac136ddd64dba72';
let env: WalletTestEnv;
let approvals: ApprovalsHarness;
let wallet: WalletView;
let nonce = 0;

const newPending = (value = 10n ** 15n): PendingTransaction => ({
  ...evmPending(
    'EVM_DEV',
    wallet.signatureId,
    evmPayload({ to: DEST, value, gasPrice: 2_000_000_000n, nonce: nonce++ }),
  ),
  id: Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString('hex'),
});

const signedIn = async (name: string) => {
  const client = new ConsoleClient(approvals.server.url);
  expect((await client.signIn(name)).status).toBe(303);
  return client;
};

beforeAll(async () => {
  env = await walletTestEnv();
  ({ wallet } = await env.service.createWallet({
    userId: 'approvals',
    chain: 'EVM_DEV',
    asset: 'ETH',
    network: 'testnet',
  }));
  approvals = await startApprovals(env, { approvalTtlMs: 10 * 60_000 });
  for (const name of ['alice', 'bob'])
    await approvals.service.operators.create(name, OPERATOR_PASSWORD, 'approver');
});

afterAll(async () => {
  await approvals.close();
  await env.close();
});

describe('approvals: the loop-facing endpoint', () => {
  it('refuses unsigned, wrongly signed and stale requests with 401, and audits them', async () => {
    const pending = newPending();
    expect((await loopCall(approvals, 'GET', pending.id, undefined, null)).status).toBe(401);
    expect((await loopCall(approvals, 'POST', pending.id, pending, null)).status).toBe(401);
    expect((await loopCall(approvals, 'POST', pending.id, pending, 'x'.repeat(64))).status).toBe(401);
    // A valid signature from ten minutes ago (a replay) is refused too.
    const url = `${approvals.server.fourEyeUrl}/${pending.id}`;
    const stale = signFourEyeRequest(
      approvals.secret,
      { method: 'GET', path: new URL(url).pathname, body: '' },
      Date.now() - 600_000,
    );
    expect((await fetch(url, { headers: stale })).status).toBe(401);
    // The refused POST registered nothing.
    expect(await approvals.service.store.get(pending.id)).toBeNull();
    const refused = await env.db
      .collection<ApprovalAuditRecord>(APPROVAL_AUDIT)
      .countDocuments({ action: 'loop-refused' });
    expect(refused).toBeGreaterThanOrEqual(4);
  });

  it('answers 404 for an id it was never shown, and for a malformed id', async () => {
    expect((await loopCall(approvals, 'GET', newPending().id)).status).toBe(404);
    expect((await loopCall(approvals, 'GET', 'not-a-pending-id')).status).toBe(404);
  });

  it('POST registers the transaction decoded and answers 423 until the quorum approves', async () => {
    const pending = newPending(123n);
    const first = await loopCall(approvals, 'POST', pending.id, pending);
    expect(first.status).toBe(423);
    expect(await first.json()).toEqual({ decision: 'awaiting', approvals: 0, quorum: 2 });
    const doc = await approvals.service.store.get(pending.id);
    expect(doc?.decoded).toMatchObject({
      chain: 'EVM_DEV',
      wallets: [wallet.signatureId],
      transfers: [{ asset: 'native', to: DEST, amount: '123' }],
      nonce: String(nonce - 1),
      fee: (21_000n * 2_000_000_000n).toString(),
      problem: null,
    });
    // A body whose id differs from the path is refused.
    expect((await loopCall(approvals, 'POST', newPending().id, pending)).status).toBe(400);
  });

  it('two approvals by the same operator in the same instant count once; a second operator completes the quorum', async () => {
    const pending = newPending();
    expect((await loopCall(approvals, 'POST', pending.id, pending)).status).toBe(423);
    const alice = await signedIn('alice');
    const { csrf, contentHash } = await alice.voteForm(pending.id);
    const form = { _csrf: csrf, contentHash, decision: 'approve', reason: '' };
    const statuses = await Promise.all(
      Array.from({ length: 8 }, () =>
        alice.request(`/tx/${pending.id}/vote`, { form }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 303)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(7);
    expect(await env.db.collection(APPROVAL_VOTES).countDocuments({ pendingId: pending.id })).toBe(1);
    const stillWaiting = await loopCall(approvals, 'GET', pending.id);
    expect(stillWaiting.status).toBe(423);
    expect(await stillWaiting.json()).toMatchObject({ approvals: 1, quorum: 2 });

    const bob = await signedIn('bob');
    expect((await bob.vote(pending.id, 'approve')).status).toBe(303);
    const released = await loopCall(approvals, 'POST', pending.id, pending);
    expect(released.status).toBe(200);
    expect(await released.json()).toEqual({ decision: 'approved', approvedBy: ['alice', 'bob'] });
  });

  it('changed content for the same id voids the earlier approvals', async () => {
    const pending = newPending(5n);
    await loopCall(approvals, 'POST', pending.id, pending);
    for (const name of ['alice', 'bob'])
      expect((await (await signedIn(name)).vote(pending.id, 'approve')).status).toBe(303);
    expect((await loopCall(approvals, 'GET', pending.id)).status).toBe(200);
    const changed = { ...pending, serializedTransaction: newPending(10n ** 18n).serializedTransaction };
    expect((await loopCall(approvals, 'POST', pending.id, changed)).status).toBe(423);
    // A vote sent with the old content hash is refused: the operator must review the new content.
    const alice = await signedIn('alice');
    const oldHash = (await env.db.collection(APPROVAL_VOTES).findOne({ pendingId: pending.id }))
      ?.contentHash as string;
    const { csrf } = await alice.voteForm(pending.id);
    const stale = await alice.request(`/tx/${pending.id}/vote`, {
      form: { _csrf: csrf, contentHash: oldHash, decision: 'approve', reason: '' },
    });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('changed since you loaded it');
    expect((await approvals.service.store.get(pending.id))?.revision).toBe(2);
  });

  it('a rejection refuses with 403 whatever the approvals', async () => {
    const pending = newPending();
    await loopCall(approvals, 'POST', pending.id, pending);
    expect((await (await signedIn('alice')).vote(pending.id, 'approve')).status).toBe(303);
    expect((await (await signedIn('bob')).vote(pending.id, 'reject', 'unknown destination')).status).toBe(
      303,
    );
    expect((await loopCall(approvals, 'POST', pending.id, pending)).status).toBe(403);
  });

  it('approvals expire: after the TTL the quorum is gone, and a fresh approval counts again', async () => {
    const pending = newPending();
    await loopCall(approvals, 'POST', pending.id, pending);
    for (const name of ['alice', 'bob'])
      expect((await (await signedIn(name)).vote(pending.id, 'approve')).status).toBe(303);
    expect((await loopCall(approvals, 'GET', pending.id)).status).toBe(200);
    approvals.advance(10 * 60_000 + 1);
    expect((await loopCall(approvals, 'GET', pending.id)).status).toBe(423);
    for (const name of ['alice', 'bob'])
      expect((await (await signedIn(name)).vote(pending.id, 'approve')).status).toBe(303);
    expect((await loopCall(approvals, 'GET', pending.id)).status).toBe(200);
  });

  it('re-hashes a password stored at an older scrypt cost when its operator signs in', async () => {
    await approvals.service.operators.create('legacy-op', OPERATOR_PASSWORD, 'approver');
    const operators = env.db.collection<{ _id: string; passwordHash: string }>(APPROVAL_OPERATORS);
    const legacy = legacyScryptHash(OPERATOR_PASSWORD, { logN: 15, r: 8, p: 1 });
    await operators.updateOne({ _id: 'legacy-op' }, { $set: { passwordHash: legacy } });
    expect(
      (await new ConsoleClient(approvals.server.url).signIn('legacy-op', 'a wrong password!')).status,
    ).toBe(401);
    expect((await operators.findOne({ _id: 'legacy-op' }))?.passwordHash).toBe(legacy);
    await signedIn('legacy-op');
    const upgraded = (await operators.findOne({ _id: 'legacy-op' }))?.passwordHash ?? '';
    expect(upgraded).toMatch(/^scrypt\$15\$8\$3\$/);
    await signedIn('legacy-op');
  });

  it('two-step sign-in: enrolled by a first code, then required at sign-in, each code once, reset by an admin', async () => {
    await approvals.service.operators.create('carol', OPERATOR_PASSWORD, 'approver');
    await approvals.service.operators.create('root', OPERATOR_PASSWORD, 'admin');
    const carol = await signedIn('carol');
    const { seed, csrf } = await carol.twoStepEnrolment();
    const now = () => approvals.service.clock();
    const wrong = String((Number(codeAt(seed, now())) + 1) % 1_000_000).padStart(6, '0');
    expect((await carol.confirmTwoStep(csrf, wrong)).status).toBe(400);
    const again = await carol.twoStepEnrolment();
    expect((await carol.confirmTwoStep(again.csrf, codeAt(again.seed, now()))).status).toBe(303);
    const audit = env.db.collection<ApprovalAuditRecord>(APPROVAL_AUDIT);
    expect(await audit.countDocuments({ actor: 'carol', action: 'two-step-enabled' })).toBe(1);
    const stored = await env.db
      .collection<{ _id: string; twoStep?: { sealed: string } }>(APPROVAL_OPERATORS)
      .findOne({ _id: 'carol' });
    expect(stored?.twoStep?.sealed).toBeDefined();
    expect(JSON.stringify(stored)).not.toContain(again.seed);

    approvals.advance(30_000); // the enrolment used this step's code
    const client = new ConsoleClient(approvals.server.url);
    expect((await client.signIn('carol')).status).toBe(401);
    expect((await client.signIn('carol', OPERATOR_PASSWORD, wrong)).status).toBe(401);
    const code = codeAt(again.seed, now());
    expect((await client.signIn('carol', 'a wrong password!', code)).status).toBe(401);
    expect((await client.signIn('carol', OPERATOR_PASSWORD, code)).status).toBe(303);
    // The same code again, or the previous step's (still inside the drift allowance): refused even with the
    // right password, and counted like any failure.
    await approvals.service.operators.unlock('carol');
    const previous = codeAt(again.seed, new Date(now().getTime() - 30_000));
    for (const replay of [code, previous]) {
      const replayed = new ConsoleClient(approvals.server.url);
      expect((await replayed.signIn('carol', OPERATOR_PASSWORD, replay)).status).toBe(401);
    }
    // Three sign-ins racing with the next step's code: exactly one passes.
    approvals.advance(30_000);
    const fresh = codeAt(again.seed, now());
    const racing = await Promise.all(
      [0, 1, 2].map(
        async () =>
          (await new ConsoleClient(approvals.server.url).signIn('carol', OPERATOR_PASSWORD, fresh)).status,
      ),
    );
    expect(racing.sort()).toEqual([303, 401, 401]);
    expect(await audit.countDocuments({ actor: 'carol', action: 'login-failed' })).toBe(7);

    const root = await signedIn('root');
    const page = await (await root.request('/admin/operators')).text();
    expect(page).toContain('two-step on');
    const reset = await root.request('/admin/operators/carol', {
      form: { _csrf: hiddenValue(page, '_csrf'), action: 'reset-two-step' },
    });
    expect(reset.status).toBe(200);
    expect(await audit.countDocuments({ actor: 'root', action: 'two-step-reset', detail: 'carol' })).toBe(1);
    await signedIn('carol'); // password only again
  });

  it('with two-step required, an operator without it reaches only the enrolment page; the loop is not affected', async () => {
    const strict = await startApprovals(env, { requireTwoStep: true });
    try {
      await strict.service.operators.create('dave', OPERATOR_PASSWORD, 'approver');
      const dave = new ConsoleClient(strict.server.url);
      expect((await dave.signIn('dave')).status).toBe(303);
      for (const path of ['/', '/audit', '/tx/0123456789abcdef01234567']) {
        const response = await dave.request(path);
        expect(response.status).toBe(303);
        expect(response.headers.get('location')).toBe('/two-step');
      }
      const { seed, csrf } = await dave.twoStepEnrolment();
      expect((await dave.confirmTwoStep(csrf, codeAt(seed, strict.service.clock()))).status).toBe(303);
      expect((await dave.request('/')).status).toBe(200);
      const pending = newPending();
      expect((await loopCall(strict, 'GET', pending.id)).status).toBe(404);
    } finally {
      await strict.close();
    }
  });

  it('locks an operator out after five failed sign-ins, even with the right password', async () => {
    await approvals.service.operators.create('mallory-target', OPERATOR_PASSWORD, 'approver');
    const client = new ConsoleClient(approvals.server.url);
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await client.signIn('mallory-target', `wrong password ${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const locked = await client.signIn('mallory-target');
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain('Sign-in is locked');
    approvals.advance(15 * 60_000 + 1);
    expect((await client.signIn('mallory-target')).status).toBe(303);
    const audit = env.db.collection<ApprovalAuditRecord>(APPROVAL_AUDIT);
    expect(await audit.countDocuments({ actor: 'mallory-target', action: 'login-failed' })).toBe(4);
    expect(await audit.countDocuments({ actor: 'mallory-target', action: 'login-locked' })).toBe(2);
  });
});
