// The approvals service's Lambda handler (src/handlers/approvals.ts) in-process, configured only through
// its environment as on AWS — the MongoDB URI and the four-eyes key read from Secrets Manager (LocalStack)
// by ARN, FerretDB as the database — and driven by API Gateway HTTP API (payload 2.0) events: the loop's
// signed POSTs, an operator's sign-in and votes with cookies and CSRF tokens, the audit's source address.
import { randomBytes } from 'node:crypto';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evmPayload, evmPending } from '../../scripts/sandbox/pending-payloads.js';
import { APPROVAL_AUDIT, type ApprovalAuditRecord } from '../../src/approvals/audit.js';
import { ApprovalsService } from '../../src/approvals/service.js';
import { approvalsHandlerFor } from '../../src/handlers/approvals.js';
import { signFourEyeRequest } from '../../src/tatum/four-eye-signature.js';
import type { PendingTransaction } from '../../src/tatum/types.js';
import type { WalletView } from '../../src/wallets/contract.js';
import { ConsoleClient, OPERATOR_PASSWORD } from '../support/approvals.js';
import { httpApiEvent, lambdaFetch } from '../support/lambda-http.js';
import { secretsManagerClientFor, stackEndpoints } from '../support/stack.js';
import { randomSuffix, walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

const BASE = 'https://abc123.execute-api.us-east-1.amazonaws.com';
const OPERATOR_IP = '198.51.100.23';
const LOOP_IP = '203.0.113.7';
const DEST = '0x8ba1f109551bd432803012645ac136ddd64dba72';

let env: WalletTestEnv;
let wallet: WalletView;
let secret: string;
let handler: ReturnType<typeof approvalsHandlerFor>;
let nonce = 0;

const newPending = (): PendingTransaction => ({
  ...evmPending(
    'EVM_DEV',
    wallet.signatureId,
    evmPayload({ to: DEST, value: 10n ** 15n, gasPrice: 2_000_000_000n, nonce: nonce++ }),
  ),
  id: randomBytes(12).toString('hex'),
});

/** The loop's POST /four-eye/{id}, signed with `key` (null: unsigned), as a v2 event. */
async function loopPost(pending: PendingTransaction, key: string | null = secret) {
  const path = `/four-eye/${pending.id}`;
  const body = JSON.stringify(pending);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== null) Object.assign(headers, signFourEyeRequest(key, { method: 'POST', path, body }));
  const request = new Request(`${BASE}${path}`, { method: 'POST', headers, body });
  return handler(await httpApiEvent(request, LOOP_IP, 'POST /{proxy+}'));
}

const operator = async (name: string) => {
  const client = new ConsoleClient(BASE, lambdaFetch(handler, { sourceIp: OPERATOR_IP }));
  expect((await client.signIn(name)).status).toBe(303);
  return client;
};

const audit = (filter: Partial<ApprovalAuditRecord>) =>
  env.db.collection<ApprovalAuditRecord>(APPROVAL_AUDIT).find(filter).toArray();

beforeAll(async () => {
  env = await walletTestEnv();
  ({ wallet } = await env.service.createWallet({
    userId: 'approvals-lambda',
    chain: 'EVM_DEV',
    asset: 'ETH',
    network: 'testnet',
  }));
  const endpoints = stackEndpoints();
  const secrets = secretsManagerClientFor(endpoints);
  secret = randomBytes(32).toString('hex');
  const create = (name: string, value: string) =>
    secrets.send(new CreateSecretCommand({ Name: `${name}-${randomSuffix()}`, SecretString: value }));
  const fourEyeArn = (await create('four-eye', secret)).ARN!;
  const mongoArn = (await create('mongo', JSON.stringify({ uri: endpoints.mongoUri }))).ARN!;
  secrets.destroy();
  handler = approvalsHandlerFor({
    MONGODB_URI_SECRET_ARN: mongoArn,
    MONGODB_DB: env.db.databaseName,
    APP_TAG: env.application,
    AWS_ENDPOINT_URL: endpoints.awsEndpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    FOUR_EYE_SECRET_ARN: fourEyeArn,
    APPROVALS_QUORUM: '{"default":2}',
  });
  // Operators are created as `approvals add-operator` does, on the same database.
  const service = new ApprovalsService({
    db: env.db,
    wallets: env.service,
    config: {
      quorum: {},
      approvalTtlMs: 3_600_000,
      loopSecret: secret,
      secureCookies: true,
      sessionTtlMs: 3_600_000,
      maxFailedLogins: 5,
      lockoutWindowMs: 900_000,
      requireTwoStep: false,
    },
  });
  for (const name of ['alice', 'bob']) await service.operators.create(name, OPERATOR_PASSWORD, 'approver');
});

afterAll(async () => {
  await env.close();
});

describe('approvals Lambda handler (API Gateway HTTP API events)', () => {
  it('refuses an unsigned or wrongly keyed loop call with 401 and audits the source address', async () => {
    const pending = newPending();
    expect((await loopPost(pending, null)).statusCode).toBe(401);
    expect((await loopPost(pending, 'k'.repeat(64))).statusCode).toBe(401);
    const refused = await audit({ action: 'loop-refused' });
    expect(refused.length).toBe(2);
    expect(refused.every((r) => r.ip === LOOP_IP)).toBe(true);
  });

  it('registers a signed call (423), releases it (200) after two operators approve through the console', async () => {
    const pending = newPending();
    const first = await loopPost(pending);
    expect(first.statusCode).toBe(423);
    expect(JSON.parse(first.body)).toEqual({ decision: 'awaiting', approvals: 0, quorum: 2 });

    const alice = await operator('alice');
    const list = await (await alice.request('/')).text();
    expect(list).toContain(pending.id);
    expect((await alice.vote(pending.id, 'approve')).status).toBe(303);
    expect((await loopPost(pending)).statusCode).toBe(423);

    const bob = await operator('bob');
    expect((await bob.vote(pending.id, 'approve')).status).toBe(303);
    const released = await loopPost(pending);
    expect(released.statusCode).toBe(200);
    expect(JSON.parse(released.body)).toEqual({ decision: 'approved', approvedBy: ['alice', 'bob'] });

    const votes = await audit({ pendingId: pending.id, action: 'approve' });
    expect(votes.map((v) => [v.actor, v.ip])).toEqual([
      ['alice', OPERATOR_IP],
      ['bob', OPERATOR_IP],
    ]);
  });

  it('sets the session as a Secure HttpOnly __Host- cookie in the v2 cookies field', async () => {
    const login = await handler(
      await httpApiEvent(new Request(`${BASE}/login`), OPERATOR_IP, 'GET /{proxy+}'),
    );
    expect(login.statusCode).toBe(200);
    const cookies = [...(login.cookies ?? []), ...Object.values(login.headers ?? {})].join('\n');
    expect(cookies).toMatch(/__Host-[^=]+=[^;]+;.*Secure/);
    expect(cookies).toMatch(/HttpOnly/);
    expect(cookies).toMatch(/SameSite=Strict/i);
  });

  it('refuses a vote form without its CSRF token', async () => {
    const pending = newPending();
    expect((await loopPost(pending)).statusCode).toBe(423);
    const alice = await operator('alice');
    const { contentHash } = await alice.voteForm(pending.id);
    const refused = await alice.request(`/tx/${pending.id}/vote`, {
      form: { contentHash, decision: 'approve', reason: '' },
    });
    expect(refused.status).toBe(403);
    expect(await audit({ pendingId: pending.id, action: 'approve' })).toEqual([]);
  });
});
