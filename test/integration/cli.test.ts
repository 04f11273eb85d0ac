// The kms-signer CLI against the real service: runCli in-process with the environment pointed at the
// stack's LocalStack (KMS) and FerretDB (MongoDB), a database and an Application tag of its own; and
// the real bin spawned as a child process.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { sha256 } from '@noble/hashes/sha2.js';
import { MongoClient } from 'mongodb';
import * as tiny from 'tiny-secp256k1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAddress } from '../../src/chains/index.js';
import { parsePublicKey } from '../../src/chains/index.js';
import type {
  BatchView,
  ReconcileReport,
  WalletKeyView,
  WalletReport,
  WalletView,
} from '../../src/wallets/contract.js';
import { cli, type CliRun } from '../support/cli-harness.js';
import { kmsClientFor, stackEndpoints, stackProcessEnv } from '../support/stack.js';
import { testVault } from '../../scripts/fixtures/vault.js';

const run = promisify(execFile);

// anvil's first dev account: a published test key.
const ANVIL_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const ANVIL_ADDRESS = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';

const suffix = randomBytes(4).toString('hex');
const DB = `cli_${suffix}`;
const APP_TAG = `kms-signer-cli-${suffix}`;

function env(overrides: Record<string, string> = {}): Record<string, string> {
  return stackProcessEnv({ database: DB, appTag: APP_TAG }, overrides);
}

/** runCli with the stack's environment; fails the test with the CLI's own error line otherwise. */
async function ok(argv: string[], stdin?: string): Promise<CliRun> {
  const out = await cli(argv, { env: env(), ...(stdin === undefined ? {} : { stdin }) });
  expect(
    out.stderr.split('\n').filter((l) => l.startsWith('kms-signer: ') && !/: (batch|exported) /.test(l)),
  ).toEqual([]);
  expect(out.code).toBe(0);
  return out;
}

const json = (out: CliRun): unknown => JSON.parse(out.stdout);

async function keyState(keyId: string): Promise<string | undefined> {
  const kms = kmsClientFor(stackEndpoints());
  try {
    return (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState;
  } finally {
    kms.destroy();
  }
}

let btc: WalletView;

afterAll(async () => {
  const mongo = await MongoClient.connect(stackEndpoints().mongoUri);
  await mongo
    .db(DB)
    .dropDatabase()
    .catch(() => undefined);
  await mongo.close();
});

describe('kms-signer CLI on LocalStack KMS + FerretDB', () => {
  beforeAll(async () => {
    btc = json(await ok(['generatemanagedwallet', 'BTC', '--testnet', '--json'])) as WalletView;
  });

  it('generatemanagedwallet BTC --testnet: a KMS key and a valid BTC testnet address', async () => {
    expect(btc).toMatchObject({
      chain: 'BTC',
      network: 'testnet',
      asset: 'BTC',
      userId: 'operator',
      status: 'ACTIVE',
    });
    expect(validateAddress('BTC', 'testnet', btc.address)).toMatchObject({ valid: true, format: 'p2wpkh' });
    expect(await keyState(btc.kmsKeyId)).toBe('Enabled');
    const human = await ok(['generatemanagedwallet', 'BTC', '--testnet', '--label', 'second']);
    const [idLine, addressLine] = human.stdout.split('\n');
    expect(idLine).toMatch(/^signatureId {2}[0-9a-f-]{36}$/);
    expect(validateAddress('BTC', 'testnet', addressLine!.replace(/^address +/, '')).valid).toBe(true);
  });

  it('getmanagedwallet returns the same public data (human and JSON)', async () => {
    const view = json(await ok(['getmanagedwallet', btc.signatureId, '--json'])) as WalletView;
    expect(view).toMatchObject({
      signatureId: btc.signatureId,
      address: btc.address,
      publicKey: btc.publicKey,
      kmsKeyId: btc.kmsKeyId,
      keyOrigin: 'AWS_KMS',
    });
    const human = await ok(['getmanagedwallet', btc.signatureId]);
    expect(human.stdout).toMatch(new RegExp(`^address +${btc.address}$`, 'm'));
    expect(human.stdout).toMatch(/^kmsKeyArn +arn:aws:kms:us-east-1:/m);
    const missing = await cli(['getmanagedwallet', '00000000-0000-4000-8000-000000000000'], { env: env() });
    expect(missing.code).toBe(3);
  });

  it('getaddress <id> 2 creates index 2 in KMS: another key, another valid address', async () => {
    const key = json(await ok(['getaddress', btc.signatureId, '2', '--json'])) as WalletKeyView & {
      signatureId: string;
    };
    expect(key).toMatchObject({ signatureId: btc.signatureId, index: 2 });
    expect(key.address).not.toBe(btc.address);
    expect(key.kmsKeyId).not.toBe(btc.kmsKeyId);
    expect(validateAddress('BTC', 'testnet', key.address).valid).toBe(true);
    expect(await keyState(key.kmsKeyId)).toBe('Enabled');
    const again = json(await ok(['getaddress', btc.signatureId, '2', '--json'])) as WalletKeyView;
    expect(again.kmsKeyId).toBe(key.kmsKeyId); // created once
    expect((await cli(['getaddress', btc.signatureId, '-2'], { env: env() })).code).toBe(2);
  });

  it('generatemanagedprivatekeybatch ETH 6: all six wallets exist afterwards', async () => {
    const out = await ok(['generatemanagedprivatekeybatch', 'ETH', '6', '--json']);
    const batch = json(out) as BatchView;
    expect(batch).toMatchObject({
      status: 'COMPLETED',
      count: 6,
      created: 6,
      chain: 'ETH',
      network: 'mainnet',
    });
    expect(new Set(batch.signatureIds).size).toBe(6);
    expect(out.stderr).toMatch(/: 6\/6 keys created$/m);
    for (const signatureId of batch.signatureIds) {
      const wallet = json(await ok(['getmanagedwallet', signatureId, '--json'])) as WalletView;
      expect(validateAddress('ETH', 'mainnet', wallet.address).valid).toBe(true);
      expect(await keyState(wallet.kmsKeyId)).toBe('Enabled');
    }
    const resumed = json(
      await ok(['generatemanagedprivatekeybatch', '--resume', batch.batchId, '--json']),
    ) as BatchView;
    expect(resumed).toMatchObject({ status: 'COMPLETED', signatureIds: batch.signatureIds });
  });

  it('storemanagedprivatekey ETH imports the anvil key from stdin: its address, and KMS signs with it', async () => {
    const out = await ok(['storemanagedprivatekey', 'ETH', '--json'], `${ANVIL_KEY}\n`);
    expect(out.stdout + out.stderr).not.toContain(ANVIL_KEY.slice(2, 20));
    const wallet = json(out) as WalletView;
    expect(wallet).toMatchObject({ address: ANVIL_ADDRESS, keyOrigin: 'EXTERNAL', chain: 'ETH' });
    expect(await keyState(wallet.kmsKeyId)).toBe('Enabled');

    const vault = testVault(stackEndpoints().awsEndpoint);
    const publicKey = parsePublicKey(Buffer.from(wallet.publicKey, 'hex'));
    const digest = sha256(new TextEncoder().encode(`kms-signer cli ${suffix}`));
    const signature = await vault.signDigest(wallet.kmsKeyId, digest, publicKey);
    const anvilPublicKey = tiny.pointFromScalar(Buffer.from(ANVIL_KEY.slice(2), 'hex'), true)!;
    expect(Buffer.from(publicKey.compressed).equals(Buffer.from(anvilPublicKey))).toBe(true);
    expect(tiny.verify(digest, anvilPublicKey, signature.compact, true)).toBe(true);
  });

  it('storemanagedprivatekey refuses the key as an argument and leaves nothing behind', async () => {
    const before = (json(await ok(['report', '--json'])) as WalletReport).totals.wallets;
    const out = await cli(['storemanagedprivatekey', 'ETH', ANVIL_KEY], { env: env(), stdin: '' });
    expect(out.code).toBe(2);
    expect(out.stderr).not.toContain(ANVIL_KEY.slice(2, 20));
    expect((json(await ok(['report', '--json'])) as WalletReport).totals.wallets).toBe(before);
  });

  it('removewallet --yes schedules deletion: the KMS key is PendingDeletion', async () => {
    const victim = json(await ok(['generatemanagedwallet', 'TRON', '--json'])) as WalletView;
    const refused = await cli(['removewallet', victim.signatureId], { env: env(), stdin: '' });
    expect(refused.code).toBe(2);
    expect(await keyState(victim.kmsKeyId)).toBe('Enabled');
    const removed = json(
      await ok(['removewallet', victim.signatureId, '--yes', '--pending-days', '7', '--json']),
    ) as WalletView;
    expect(removed.status).toBe('PENDING_DELETION');
    expect(removed.deletionDate).not.toBeNull();
    expect(await keyState(victim.kmsKeyId)).toBe('PendingDeletion');
  });

  it('export prints every wallet of this database (JSON lines and array, --chain filter)', async () => {
    const lines = (await ok(['export'])).stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as WalletView);
    const eth = json(await ok(['export', '--chain', 'ETH', '--format', 'array'])) as WalletView[];
    expect(eth.map((w) => w.chain)).toEqual(Array(7).fill('ETH')); // 6 from the batch + 1 imported
    expect(lines.length).toBe(eth.length + 3); // + 2 BTC + 1 TRON
    expect(lines.map((w) => w.signatureId)).toContain(btc.signatureId);
    for (const w of lines) expect(Object.keys(w)).not.toContain('privateKey');
  });

  it('report counts the wallets and estimates the key cost', async () => {
    const report = json(await ok(['report', '--json'])) as WalletReport;
    expect(report.totals.wallets).toBe(10);
    expect(report.totals.byStatus).toMatchObject({ ACTIVE: 9, PENDING_DELETION: 1 });
    expect(report.totals.keys).toBe(11); // BTC index 2 is a key of its own
    expect(report.estimatedMonthlyKeyCostUsd).toBe(10); // the pending-deletion key is free
    const human = await ok(['report']);
    expect(human.stdout).toContain('estimated key cost  $10.00/month');
  });

  it('checkconfig connects to both and masks the URI credentials', async () => {
    const { mongoUri } = stackEndpoints();
    const password = 'Sup3r-Secret-Passw0rd';
    const withCredentials = `${mongoUri.replace('mongodb://', `mongodb://operator:${password}@`)}?authMechanism=PLAIN`;
    const out = await cli(['checkconfig'], { env: env({ MONGODB_URI: withCredentials }) });
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^ {2}MONGODB_URI +mongodb:\/\/\*\*\*\*@127\.0\.0\.1:\d+\/\?…$/m);
    expect(out.stdout).toMatch(/^MongoDB +OK$/m);
    expect(out.stdout).toMatch(/^KMS +OK$/m);
    expect(out.stdout + out.stderr).not.toContain(password);
    expect(out.stdout + out.stderr).not.toContain('operator:');

    const down = await cli(['checkconfig', '--json'], {
      env: env({ MONGODB_URI: `mongodb://operator:${password}@127.0.0.1:1/?serverSelectionTimeoutMS=500` }),
    });
    expect(down.code).toBe(1);
    expect(JSON.parse(down.stdout)).toMatchObject({ ok: false, mongo: 'down' });
    expect(down.stdout + down.stderr).not.toContain(password);
  });

  it('reconcile --dry-run reports and changes nothing', async () => {
    const before = (await ok(['export'])).stdout;
    const report = json(await ok(['reconcile', '--dry-run', '--json'])) as ReconcileReport;
    expect(report.dryRun).toBe(true);
    expect(report.keysWithoutRecord).toEqual([]); // every key of this Application tag has its record
    expect(report.recordsWithoutKey).toEqual([]);
    const human = await ok(['reconcile', '--dry-run']);
    expect(human.stdout).toContain('reconcile (dry run: nothing was changed)\n');
    expect((await ok(['export'])).stdout).toBe(before);
  });

  it('the bin runs as a child process (npx tsx src/cli/main.ts)', async () => {
    const help = await run('npx', ['tsx', 'src/cli/main.ts', '--help'], { timeout: 60_000 });
    expect(help.stdout).toContain('Usage: kms-signer');
    expect(help.stdout).toContain('storemanagedprivatekey');
    const child = await run(
      'npx',
      ['tsx', 'src/cli/main.ts', 'getmanagedwallet', btc.signatureId, '--json'],
      {
        timeout: 60_000,
        env: { ...process.env, ...env() },
      },
    );
    expect((JSON.parse(child.stdout) as WalletView).address).toBe(btc.address);
    const failed = await run('npx', ['tsx', 'src/cli/main.ts', 'getaddress', btc.signatureId, 'x'], {
      timeout: 60_000,
    }).catch((err: unknown) => err as { code: number; stderr: string });
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toContain('kms-signer: index: expected a whole number');
  });
});
