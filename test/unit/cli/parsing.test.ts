import bs58check from 'bs58check';
import { describe, expect, it } from 'vitest';
import { describeFailure, scrub } from '../../../src/cli/errors.js';
import { looksLikePrivateKey, parsePrivateKey } from '../../../src/cli/private-key.js';
import { maskUri } from '../../../src/cli/render.js';
import { parseChain, parseIndex, parseSignatureId } from '../../../src/cli/options.js';

const KEY_HEX = 'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('parsePrivateKey', () => {
  it('decodes hex and WIF to the same 32 bytes', () => {
    const key = Buffer.from(KEY_HEX, 'hex');
    const wifLtc = bs58check.encode(Uint8Array.from([0xb0, ...key, 0x01])); // LTC mainnet WIF version 176
    const wifDoge = bs58check.encode(Uint8Array.from([0x9e, ...key])); // DOGE mainnet, uncompressed
    expect(parsePrivateKey(bytes(KEY_HEX), 'ETH', 'mainnet')).toEqual({
      key: Uint8Array.from(key),
      format: 'hex',
      compressed: true,
    });
    expect(parsePrivateKey(bytes(wifLtc), 'LTC', 'mainnet')).toEqual({
      key: Uint8Array.from(key),
      format: 'wif',
      compressed: true,
    });
    expect(parsePrivateKey(bytes(wifDoge), 'DOGE', 'mainnet')).toEqual({
      key: Uint8Array.from(key),
      format: 'wif',
      compressed: false,
    });
    expect(() => parsePrivateKey(bytes(wifLtc), 'BTC', 'mainnet')).toThrow(
      /version 0xb0; BTC mainnet uses 0x80/,
    );
  });

  it('accepts n-1 and refuses n', () => {
    const nMinus1 = 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140';
    expect(parsePrivateKey(bytes(nMinus1), 'ETH', 'mainnet').key[31]).toBe(0x40);
    expect(() => parsePrivateKey(bytes(`${nMinus1.slice(0, 63)}1`), 'ETH', 'mainnet')).toThrow(/group order/);
  });

  it('refuses non-hex after 0x without quoting it', () => {
    let message = '';
    try {
      parsePrivateKey(bytes(`0x${'g'.repeat(64)}`), 'ETH', 'mainnet');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe('a hex key must be exactly 64 hex digits (32 bytes), got 64 characters');
  });
});

describe('looksLikePrivateKey', () => {
  it('spots 32-byte hex and checksummed WIF, nothing else', () => {
    const wif = bs58check.encode(Uint8Array.from([0x80, ...Buffer.from(KEY_HEX, 'hex'), 0x01]));
    expect(looksLikePrivateKey(KEY_HEX)).toBe(true);
    expect(looksLikePrivateKey(`0x${KEY_HEX}`)).toBe(true);
    expect(looksLikePrivateKey(wif)).toBe(true);
    expect(looksLikePrivateKey(`${wif.slice(0, -1)}${wif.endsWith('z') ? 'y' : 'z'}`)).toBe(false);
    for (const harmless of [
      '5f0c6c55-8f43-4c1e-9a55-0c0b3c1f2a10', // signatureId
      'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', // address
      '0x8ba1f109551bD432803012645Ac136ddd64DBA72',
      `02${KEY_HEX}`, // a compressed public key (33 bytes)
      'BTC',
      '25000',
    ]) {
      expect(looksLikePrivateKey(harmless)).toBe(false);
    }
  });
});

describe('options', () => {
  it('chains are case-insensitive; indexes and ids are strict', () => {
    expect(parseChain('evm_dev')).toBe('EVM_DEV');
    expect(parseIndex(undefined)).toBe(0);
    expect(parseIndex('2147483647')).toBe(2147483647);
    expect(() => parseIndex('1e3')).toThrow(/whole number/);
    expect(parseSignatureId(' 5F0C6C55-8F43-4C1E-9A55-0C0B3C1F2A10 ')).toBe(
      '5f0c6c55-8f43-4c1e-9a55-0c0b3c1f2a10',
    );
  });
});

describe('masking', () => {
  it('maskUri keeps scheme, hosts and path; drops credentials and options', () => {
    expect(maskUri('mongodb+srv://user:p%40ss@cluster0.example.net/kms?retryWrites=true&w=majority')).toBe(
      'mongodb+srv://****@cluster0.example.net/kms?…',
    );
    expect(maskUri('mongodb://h1:27017,h2:27017/')).toBe('mongodb://h1:27017,h2:27017/');
    expect(maskUri('http://127.0.0.1:4566')).toBe('http://127.0.0.1:4566');
    expect(maskUri('not a uri')).toBe('(set; not a URI, hidden)');
  });

  it('scrub redacts connection strings, URL credentials and 32-byte hex; keeps public keys', () => {
    const text = scrub(`mongodb://a:b@h/ https://u:p@x.io/y ${KEY_HEX} 02${KEY_HEX}\nnext`);
    expect(text).not.toContain('a:b');
    expect(text).not.toContain('u:p');
    expect(text).toContain('[redacted]');
    expect(text).toContain(`02${KEY_HEX}`);
    expect(text).not.toContain('\n');
  });

  it('describeFailure never exposes an unknown thrown value beyond its text', () => {
    expect(describeFailure('plain')).toEqual({ exitCode: 1, field: 'error', reason: 'plain' });
  });
});
