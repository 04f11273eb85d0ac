import { describe, expect, it } from 'vitest';
import { allowedAssets, canonicalAsset, WalletError } from '../../../src/wallets/index.js';
import {
  checkCreateInput,
  checkIndex,
  checkListQuery,
  checkPendingWindow,
} from '../../../src/wallets/validation.js';
import { decodeCursor, encodeCursor } from '../../../src/wallets/views.js';

function validationField(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WalletError);
    expect((error as WalletError).code).toBe('VALIDATION');
    expect((error as WalletError).message.startsWith(`${(error as WalletError).field ?? ''}: `)).toBe(true);
    return (error as WalletError).field;
  }
  return undefined;
}

const good = { userId: ' user-7 ', chain: 'MATIC', asset: 'matic', network: 'testnet', label: 'ops' };

describe('checkCreateInput', () => {
  it('normalises: trimmed userId, canonical asset, index 0 = none', () => {
    expect(checkCreateInput({ ...good, index: 0 })).toEqual({
      userId: 'user-7',
      chain: 'MATIC',
      asset: 'POL',
      network: 'testnet',
      label: 'ops',
      index: null,
    });
    expect(checkCreateInput({ ...good, asset: 'usdc', index: 2 ** 31 - 1 })).toMatchObject({
      asset: 'USDC',
      index: 2 ** 31 - 1,
    });
  });

  it.each([
    [null, 'body'],
    [{ ...good, userId: '' }, 'userId'],
    [{ ...good, userId: 'x'.repeat(129) }, 'userId'],
    [{ ...good, chain: 'DOT' }, 'chain'],
    [{ ...good, network: 'regtest' }, 'network'],
    [{ ...good, asset: 'ETH' }, 'asset'],
    [{ ...good, asset: 7 }, 'asset'],
    [{ ...good, label: 5 }, 'label'],
    [{ ...good, label: 'x'.repeat(129) }, 'label'],
    [{ ...good, index: '1' }, 'index'],
    [{ ...good, index: -1 }, 'index'],
    [{ ...good, index: 2 ** 31 }, 'index'],
  ])('refuses %j naming %s', (input, field) => {
    expect(validationField(() => checkCreateInput(input))).toBe(field);
  });

  it('accepts 128-character user ids and labels', () => {
    expect(
      checkCreateInput({ ...good, userId: 'u'.repeat(128), label: 'l'.repeat(128) }).userId,
    ).toHaveLength(128);
  });
});

describe('assets', () => {
  it('knows each chain’s native asset and its tokens', () => {
    expect(allowedAssets('BTC')).toEqual(['BTC']);
    expect(allowedAssets('TRON')).toEqual(['TRX', 'USDT', 'USDC']);
    expect(canonicalAsset('BSC', 'bsc')).toBe('BNB');
    expect(canonicalAsset('BSC', 'BNB')).toBe('BNB');
    expect(canonicalAsset('ETH', 'USDT')).toBe('USDT');
    expect(canonicalAsset('DOGE', 'USDT')).toBeUndefined();
    expect(canonicalAsset('EVM_DEV', 'USDC')).toBeUndefined();
  });
});

describe('other checks', () => {
  it('index, pending window, list query, cursor', () => {
    expect(checkIndex(0)).toBe(0);
    expect(validationField(() => checkIndex(Number.POSITIVE_INFINITY))).toBe('index');
    expect(checkPendingWindow(undefined)).toBe(30);
    expect(checkPendingWindow(7)).toBe(7);
    expect(validationField(() => checkPendingWindow(30.5))).toBe('pendingWindowDays');
    expect(checkListQuery({ chain: 'ETH', network: 'mainnet' })).toMatchObject({ limit: 50 });
    expect(validationField(() => checkListQuery({ chain: 'BSC', network: 'regtest' }))).toBe('network');
    expect(validationField(() => checkListQuery({ userId: '' }))).toBe('userId');
    const cursor = encodeCursor({ createdAt: new Date(1_700_000_000_000), signatureId: 'abc' });
    expect(decodeCursor(cursor)).toEqual({ createdAt: new Date(1_700_000_000_000), signatureId: 'abc' });
    expect(validationField(() => decodeCursor(Buffer.from('{"a":1}').toString('base64url')))).toBe('cursor');
  });
});

describe('checkCreateInput FLOW', () => {
  it('accepts a FLOW wallet (its account is registered after creation) but no extra key index', () => {
    const input = { userId: 'u1', chain: 'FLOW', network: 'testnet', asset: 'FLOW' };
    expect(checkCreateInput(input)).toMatchObject({ chain: 'FLOW', network: 'testnet', index: null });
    expect(validationField(() => checkCreateInput({ ...input, index: 3 }))).toBe('index');
    expect(() => checkCreateInput({ ...input, index: 3 })).toThrow(/register it with its chain account/);
  });
});
