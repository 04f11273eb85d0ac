// `kms-signer approvals` through runCli against FerretDB and LocalStack: add-operator reads the password
// from stdin and refuses bad input by field; serve runs the console until interrupted.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { ConsoleClient, OPERATOR_PASSWORD } from '../../scripts/sandbox/approvals-console.js';
import { APPROVAL_AUDIT } from '../../src/approvals/audit.js';
import { APPROVAL_OPERATORS } from '../../src/approvals/operators.js';
import { cli } from '../support/cli-harness.js';
import { stackEndpoints, stackProcessEnv } from '../support/stack.js';

const DB = `approvals_cli_${randomBytes(4).toString('hex')}`;

function env(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    ...stackProcessEnv({ database: DB, appTag: `kms-signer-${DB}` }),
    FOUR_EYE_SECRET: randomBytes(32).toString('hex'),
    ...overrides,
  };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => {
        resolve(port);
      });
    });
  });

afterAll(async () => {
  const mongo = await MongoClient.connect(stackEndpoints().mongoUri);
  await mongo.db(DB).dropDatabase();
  await mongo.close();
});

describe('kms-signer approvals', () => {
  it('add-operator creates an operator from a piped password, and refuses bad input by field', async () => {
    const created = await cli(['approvals', 'add-operator', 'Alice', '--role', 'approver'], {
      env: env(),
      stdin: `${OPERATOR_PASSWORD}\n`,
    });
    expect(created.stderr).toBe('');
    expect(created).toMatchObject({ code: 0, stdout: 'operator alice created (approver)\n' });

    const again = await cli(['approvals', 'add-operator', 'alice'], { env: env(), stdin: OPERATOR_PASSWORD });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('username');
    expect(again.stderr).toContain('already exists');
    const short = await cli(['approvals', 'add-operator', 'carol'], { env: env(), stdin: 'short' });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('at least 12 characters');
    const role = await cli(['approvals', 'add-operator', 'dave', '--role', 'root'], {
      env: env(),
      stdin: '',
    });
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('--role');
    const noSecret = await cli(['approvals', 'add-operator', 'erin'], {
      env: env({ FOUR_EYE_SECRET: undefined }),
      stdin: OPERATOR_PASSWORD,
    });
    // Creating an operator (e.g. the first admin) needs only the database, not the loop's shared secret.
    expect(noSecret).toMatchObject({ code: 0, stdout: 'operator erin created (approver)\n' });
  });

  it("reset-two-step clears an operator's enrolled two-step with only the database, audited; unknown → by field", async () => {
    const created = await cli(['approvals', 'add-operator', 'frank', '--role', 'admin'], {
      env: env(),
      stdin: OPERATOR_PASSWORD,
    });
    expect(created.code).toBe(0);
    const mongo = await MongoClient.connect(stackEndpoints().mongoUri);
    try {
      const operators = mongo.db(DB).collection<{ _id: string; twoStep?: unknown }>(APPROVAL_OPERATORS);
      await operators.updateOne({ _id: 'frank' }, { $set: { twoStep: { sealed: 'v1.x.y.z', lastStep: 1 } } });
      const reset = await cli(['approvals', 'reset-two-step', 'Frank'], {
        env: env({ FOUR_EYE_SECRET: undefined }),
      });
      expect(reset).toMatchObject({ code: 0, stderr: '' });
      expect(reset.stdout).toContain('two-step sign-in of frank reset');
      expect(await operators.findOne({ _id: 'frank' })).not.toHaveProperty('twoStep');
      const audit = mongo.db(DB).collection(APPROVAL_AUDIT);
      expect(await audit.countDocuments({ actor: 'cli', action: 'two-step-reset', detail: 'frank' })).toBe(1);
    } finally {
      await mongo.close();
    }
    const unknown = await cli(['approvals', 'reset-two-step', 'nobody'], { env: env() });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no operator nobody');
  });

  it('serve answers the console until interrupted', async () => {
    const port = await freePort();
    const interrupt = new AbortController();
    const running = cli(['approvals', 'serve', '--port', String(port)], {
      env: env(),
      signal: interrupt.signal,
    });
    const console_ = new ConsoleClient(`http://127.0.0.1:${port}`);
    await expect
      .poll(
        () =>
          console_.request('/health').then(
            (r) => r.status,
            () => 0,
          ),
        { timeout: 20_000 },
      )
      .toBe(200);
    expect((await console_.signIn('alice')).status).toBe(303);
    const list = await console_.request('/');
    expect(await list.text()).toContain('Signed in as <strong>alice</strong>');
    interrupt.abort();
    const done = await running;
    expect(done.code).toBe(0);
    expect(done.stderr).toContain(`loop endpoint http://127.0.0.1:${port}/four-eye`);
  });
});
