// Wallet service on LocalStack + FerretDB: create, read, list, validation without side effects,
// addresses on demand (also concurrently), and the status lifecycle mirrored in KMS.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveAddresses } from '../../src/chains/index.js';
import { ClaimStore } from '../../src/db/index.js';
import { WalletError, type CreateWalletInput, type WalletView } from '../../src/wallets/index.js';
import { keysTaggedWith, walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

let env: WalletTestEnv;

beforeAll(async () => {
  env = await walletTestEnv();
});
afterAll(async () => {
  await env.close();
});

const ethInput = (over: Partial<CreateWalletInput> = {}): CreateWalletInput => ({
  userId: 'user-1',
  chain: 'ETH',
  asset: 'ETH',
  network: 'mainnet',
  ...over,
});

async function expectWalletError(promise: Promise<unknown>, code: WalletError['code'], field?: string) {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WalletError);
  expect((error as WalletError).code).toBe(code);
  if (field !== undefined) expect((error as WalletError).field).toBe(field);
  return error as WalletError;
}

describe('createWallet / getWallet', () => {
  it('creates a tagged KMS key, stores the compressed public key and every address (default first)', async () => {
    const { wallet, created } = await env.service.createWallet(ethInput({ label: 'hot wallet' }));
    expect(created).toBe(true);
    expect(wallet).toMatchObject({
      status: 'ACTIVE',
      chain: 'ETH',
      asset: 'ETH',
      label: 'hot wallet',
      keyOrigin: 'AWS_KMS',
    });
    expect(wallet.publicKey).toMatch(/^0[23][0-9a-f]{64}$/);
    const expected = deriveAddresses('ETH', 'mainnet', Buffer.from(wallet.publicKey, 'hex'));
    expect(wallet.addresses).toEqual(expected);
    expect(wallet.address).toBe(expected[0]!.address);

    const kmsKey = await env.vault.getPublicKey(wallet.kmsKeyId);
    expect(Buffer.from(kmsKey.compressed).toString('hex')).toBe(wallet.publicKey);
    expect(await env.vault.listTags(wallet.kmsKeyId)).toMatchObject({
      Application: env.application,
      WalletId: wallet.signatureId,
      Chain: 'ETH',
      Network: 'mainnet',
      Asset: 'ETH',
      UserId: 'user-1',
    });
    expect(await env.service.getWallet(wallet.signatureId)).toEqual(wallet);
  });

  it('creates BTC wallets with p2wpkh first and accepts Tatum-style native names and tokens', async () => {
    const create = (
      chain: CreateWalletInput['chain'],
      asset: string,
      network: CreateWalletInput['network'],
    ) => env.service.createWallet({ userId: 'u', chain, asset, network });
    const btc = await create('BTC', 'btc', 'testnet');
    expect(btc.wallet.asset).toBe('BTC');
    expect(btc.wallet.addresses.map((a) => a.format)).toEqual(['p2wpkh', 'p2sh-p2wpkh', 'p2pkh']);
    expect(btc.wallet.address).toMatch(/^tb1q/);
    expect((await create('BSC', 'BSC', 'mainnet')).wallet.asset).toBe('BNB');
    const usdt = await create('TRON', 'USDT', 'mainnet');
    expect(usdt.wallet.address).toMatch(/^T/);
  });

  it('creates the requested extra index right away', async () => {
    const { wallet } = await env.service.createWallet(ethInput({ index: 3 }));
    const key = await env.service.getAddress(wallet.signatureId, 3);
    expect(key.index).toBe(3);
    expect(key.kmsKeyId).not.toBe(wallet.kmsKeyId);
    expect(await keysTaggedWith(env.kms, env.application, wallet.signatureId)).toHaveLength(2);
  });

  it('answers NOT_FOUND for unknown or malformed ids', async () => {
    await expectWalletError(env.service.getWallet(randomUUID()), 'NOT_FOUND');
    await expectWalletError(env.service.getWallet('not-a-uuid'), 'NOT_FOUND');
    await expectWalletError(env.service.disableWallet(randomUUID()), 'NOT_FOUND');
    await expectWalletError(env.service.getAddress(randomUUID(), 1), 'NOT_FOUND');
  });
});

describe('bad input writes nothing', () => {
  const cases: [string, unknown, string][] = [
    ['unknown chain', ethInput({ chain: 'DOT' as never }), 'chain'],
    ['network the chain lacks', ethInput({ chain: 'TRON', asset: 'TRX', network: 'regtest' }), 'network'],
    ['unknown network', ethInput({ network: 'moonnet' as never }), 'network'],
    ['asset of another chain', ethInput({ asset: 'BTC' }), 'asset'],
    ['token on a UTXO chain', { userId: 'u', chain: 'BTC', asset: 'USDT', network: 'mainnet' }, 'asset'],
    ['empty userId', ethInput({ userId: '   ' }), 'userId'],
    ['userId of 129 characters', ethInput({ userId: 'u'.repeat(129) }), 'userId'],
    ['userId not a string', ethInput({ userId: 42 as never }), 'userId'],
    ['label of 129 characters', ethInput({ label: 'l'.repeat(129) }), 'label'],
    ['negative index', ethInput({ index: -1 }), 'index'],
    ['fractional index', ethInput({ index: 1.5 }), 'index'],
    ['index of 2^31', ethInput({ index: 2 ** 31 }), 'index'],
  ];

  it.each(cases)('%s → VALIDATION naming the field, no record and no key', async (_name, base, field) => {
    const userId = `rejected-${randomUUID()}`;
    const input = field === 'userId' ? base : { ...(base as object), userId };
    const before = await env.db.collection('wallets').countDocuments();
    const keysBefore = await env.db.collection('wallet_keys').countDocuments();
    const error = await expectWalletError(
      env.service.createWallet(input as CreateWalletInput, randomUUID()),
      'VALIDATION',
      field,
    );
    expect(error.message).toContain(field);
    expect(await env.db.collection('wallets').countDocuments()).toBe(before);
    expect(await env.db.collection('wallet_keys').countDocuments()).toBe(keysBefore);
    expect(await env.db.collection('wallets').countDocuments({ userId })).toBe(0);
    expect(await env.db.collection('idempotency_keys').countDocuments()).toBe(0);
  });

  it('no KMS key is created for rejected input (nothing tagged with this application appears)', async () => {
    const { wallet } = await env.service.createWallet(ethInput({ userId: 'probe' }));
    const idempotencyKey = randomUUID();
    await expectWalletError(
      env.service.createWallet(ethInput({ asset: 'DOGE' }), idempotencyKey),
      'VALIDATION',
      'asset',
    );
    // The idempotency key was not consumed by the invalid request.
    expect(await env.db.collection('idempotency_keys').countDocuments({ _id: idempotencyKey as never })).toBe(
      0,
    );
    const wallets = await env.db
      .collection('wallets')
      .find({}, { projection: { signatureId: 1 } })
      .toArray();
    const tagged = await keysTaggedWith(env.kms, env.application, wallet.signatureId);
    expect(tagged).toHaveLength(1);
    expect(wallets.length).toBeGreaterThan(0);
  });

  it('getAddress refuses bad indexes before touching anything', async () => {
    const { wallet } = await env.service.createWallet(ethInput());
    for (const index of [-1, 2 ** 31, 0.5, Number.NaN]) {
      await expectWalletError(env.service.getAddress(wallet.signatureId, index), 'VALIDATION', 'index');
    }
    expect(await env.db.collection('wallet_keys').countDocuments({ signatureId: wallet.signatureId })).toBe(
      0,
    );
    expect(await keysTaggedWith(env.kms, env.application, wallet.signatureId)).toHaveLength(1);
  });

  it('list validates limit, cursor and filters', async () => {
    await expectWalletError(env.service.listWallets({ limit: 0 }), 'VALIDATION', 'limit');
    await expectWalletError(env.service.listWallets({ limit: 101 }), 'VALIDATION', 'limit');
    await expectWalletError(env.service.listWallets({ cursor: 'garbage' }), 'VALIDATION', 'cursor');
    await expectWalletError(env.service.listWallets({ chain: 'DOT' as never }), 'VALIDATION', 'chain');
    await expectWalletError(env.service.listWallets({ status: 'GONE' as never }), 'VALIDATION', 'status');
  });
});

describe('listWallets', () => {
  it('pages through a user’s wallets with a cursor, in creation order, with filters', async () => {
    const userId = `pager-${randomUUID()}`;
    const created: WalletView[] = [];
    for (let i = 0; i < 5; i++) {
      created.push(
        (await env.service.createWallet(ethInput({ userId, network: i % 2 === 0 ? 'mainnet' : 'testnet' })))
          .wallet,
      );
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await env.service.listWallets({ userId, limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((w) => w.signatureId));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(created.map((w) => w.signatureId));

    const testnet = await env.service.listWallets({ userId, network: 'testnet' });
    expect(testnet.items.map((w) => w.signatureId)).toEqual([
      created[1]!.signatureId,
      created[3]!.signatureId,
    ]);
    expect(testnet.nextCursor).toBeNull();
    expect((await env.service.listWallets({ userId, chain: 'BTC' })).items).toEqual([]);
    expect((await env.service.listWallets({ userId, status: 'ACTIVE' })).items).toHaveLength(5);
  });
});

describe('getAddress', () => {
  it('index 0 is the wallet key; index ≥ 1 gets its own KMS key on first use, then the same one', async () => {
    const { wallet } = await env.service.createWallet(ethInput());
    const zero = await env.service.getAddress(wallet.signatureId, 0);
    expect(zero).toMatchObject({ index: 0, address: wallet.address, kmsKeyId: wallet.kmsKeyId });
    const five = await env.service.getAddress(wallet.signatureId, 5);
    expect(five.address).not.toBe(wallet.address);
    expect(five.addresses[0]!.address).toBe(five.address);
    expect(await env.service.getAddress(wallet.signatureId, 5)).toEqual(five);
    const big = await env.service.getAddress(wallet.signatureId, 2 ** 31 - 1);
    expect(big.index).toBe(2 ** 31 - 1);
    const tagged = await keysTaggedWith(env.kms, env.application, wallet.signatureId);
    expect(tagged.map((k) => k.tags.KeyIndex ?? '0').sort()).toEqual(['0', '2147483647', '5']);
  });

  it('concurrent first requests for one index create exactly one key', async () => {
    const { wallet } = await env.service.createWallet(ethInput());
    const other = env.newService(); // a second "process"
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 === 0 ? env.service : other).getAddress(wallet.signatureId, 7),
      ),
    );
    expect(new Set(results.map((r) => r.kmsKeyId)).size).toBe(1);
    expect(new Set(results.map((r) => r.address)).size).toBe(1);
    const tagged = await keysTaggedWith(env.kms, env.application, wallet.signatureId);
    expect(tagged.filter((k) => k.tags.KeyIndex === '7')).toHaveLength(1);
    expect(await env.db.collection('wallet_keys').countDocuments({ signatureId: wallet.signatureId })).toBe(
      1,
    );
  });
});

describe('status transitions mirror KMS', () => {
  it('disable → enable → delete → cancel, on every key of the wallet', async () => {
    const { wallet } = await env.service.createWallet(ethInput());
    const extra = await env.service.getAddress(wallet.signatureId, 1);
    const keyIds = [wallet.kmsKeyId, extra.kmsKeyId];
    const states = async () => Promise.all(keyIds.map(async (id) => (await env.vault.describeKey(id)).state));

    expect((await env.service.disableWallet(wallet.signatureId)).status).toBe('DISABLED');
    expect(await states()).toEqual(['Disabled', 'Disabled']);
    // Repeating is harmless (finishes an interrupted call).
    expect((await env.service.disableWallet(wallet.signatureId)).status).toBe('DISABLED');
    await expectWalletError(env.service.getAddress(wallet.signatureId, 2), 'INVALID_STATE');
    expect((await env.service.getAddress(wallet.signatureId, 1)).kmsKeyId).toBe(extra.kmsKeyId);

    expect((await env.service.enableWallet(wallet.signatureId)).status).toBe('ACTIVE');
    expect(await states()).toEqual(['Enabled', 'Enabled']);

    await expectWalletError(
      env.service.scheduleWalletDeletion(wallet.signatureId, 6),
      'VALIDATION',
      'pendingWindowDays',
    );
    await expectWalletError(
      env.service.scheduleWalletDeletion(wallet.signatureId, 31),
      'VALIDATION',
      'pendingWindowDays',
    );
    const before = Date.now();
    const deleting = await env.service.scheduleWalletDeletion(wallet.signatureId, 7);
    expect(deleting.status).toBe('PENDING_DELETION');
    expect(deleting.deletionDate!.getTime()).toBeGreaterThan(before + 6.9 * 86_400_000);
    expect(await states()).toEqual(['PendingDeletion', 'PendingDeletion']);
    for (const keyId of keyIds) {
      const { deletionDate } = await env.vault.describeKey(keyId);
      expect(deletionDate!.getTime()).toBeLessThan(before + 7.1 * 86_400_000);
    }
    await expectWalletError(env.service.enableWallet(wallet.signatureId), 'INVALID_STATE');
    await expectWalletError(env.service.disableWallet(wallet.signatureId), 'INVALID_STATE');

    const restored = await env.service.cancelWalletDeletion(wallet.signatureId);
    expect(restored).toMatchObject({ status: 'ACTIVE', deletionDate: null });
    expect(await states()).toEqual(['Enabled', 'Enabled']);
    await expectWalletError(env.service.cancelWalletDeletion(wallet.signatureId), 'INVALID_STATE');
  });

  it('deletes with the default 30-day window, from DISABLED too', async () => {
    const { wallet } = await env.service.createWallet(ethInput());
    await env.service.disableWallet(wallet.signatureId);
    const deleting = await env.service.scheduleWalletDeletion(wallet.signatureId);
    expect(deleting.status).toBe('PENDING_DELETION');
    const { deletionDate } = await env.vault.describeKey(wallet.kmsKeyId);
    expect(deletionDate!.getTime()).toBeGreaterThan(Date.now() + 29.9 * 86_400_000);
    const again = await env.service.scheduleWalletDeletion(wallet.signatureId);
    expect(again.deletionDate).toEqual(deleting.deletionDate);
  });

  it('refuses a second transition while one holds the wallet lock', async () => {
    const { wallet } = await env.service.createWallet(ethInput());
    const claims = new ClaimStore(env.db);
    const held = await claims.acquire(`wallet:${wallet.signatureId}`, 'another-process', 60_000);
    expect(held).not.toBeNull();
    await expectWalletError(env.service.disableWallet(wallet.signatureId), 'CONFLICT');
    expect((await env.vault.describeKey(wallet.kmsKeyId)).state).toBe('Enabled');
    await claims.release(held!);
    expect((await env.service.disableWallet(wallet.signatureId)).status).toBe('DISABLED');
  });
});

describe('health', () => {
  it('reports MongoDB and KMS reachable', async () => {
    expect(await env.service.health()).toEqual({ mongo: 'ok', kms: 'ok' });
  });
});
