import { secp256k1 } from '@noble/curves/secp256k1.js';
import bs58check from 'bs58check';
import { describe, expect, it } from 'vitest';
import { deriveAddress } from '../../../src/chains/index.js';
import { WalletError } from '../../../src/wallets/contract.js';
import { cli, FakeTtyStdin, type CliRunOptions } from '../../support/cli-harness.js';
import { FakeWalletService } from '../../support/fake-wallet-service.js';

// anvil's first dev account: a published test key, never a real one.
const KEY_HEX = 'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const KEY_ADDRESS = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const KEY = Uint8Array.from(Buffer.from(KEY_HEX, 'hex'));
const wif = (version: number, compressed = true): string =>
  bs58check.encode(Uint8Array.from([version, ...KEY, ...(compressed ? [0x01] : [])]));

function setup() {
  const service = new FakeWalletService();
  const deps = {
    createContext: () => Promise.resolve({ walletService: service, close: () => Promise.resolve() }),
  };
  const run = (argv: string[], options: CliRunOptions = {}) => cli(argv, { deps, ...options });
  return { service, run };
}

/** Asserts that no form of the key appears in what the CLI printed. */
function expectNoKey(out: { stdout: string; stderr: string }, ...forms: string[]): void {
  for (const form of [KEY_HEX, KEY_HEX.toUpperCase(), KEY_HEX.slice(0, 16), ...forms]) {
    expect(out.stdout).not.toContain(form);
    expect(out.stderr).not.toContain(form);
  }
}

describe('storemanagedprivatekey: piped stdin', () => {
  it.each([
    ['0x-prefixed hex with a newline', `0x${KEY_HEX}\n`],
    ['bare hex', KEY_HEX],
    ['upper-case hex with CRLF and spaces', `  0X${KEY_HEX.toUpperCase()}\r\n`],
  ])('imports %s, prints signatureId and address, never the key', async (_name, input) => {
    const { service, run } = setup();
    const out = await run(['storemanagedprivatekey', 'ETH'], { stdin: input });
    expect(out.code).toBe(0);
    const [wallet] = [...service.wallets.values()];
    expect(wallet!.address).toBe(KEY_ADDRESS);
    expect(out.stdout).toContain(`address      ${KEY_ADDRESS}\n`);
    expect(out.stdout).toContain('keyOrigin    EXTERNAL\n');
    expect(service.calls[0]).toEqual({
      method: 'importWallet',
      args: [{ userId: 'operator', chain: 'ETH', asset: 'ETH', network: 'mainnet' }, '<key>'],
    });
    expect(Buffer.from(service.imported[0]!.copy).toString('hex')).toBe(KEY_HEX);
    expect(service.imported[0]!.original.every((b) => b === 0)).toBe(true); // zeroed after the import
    expectNoKey(out);
  });

  it('imports a BTC testnet WIF with --testnet and --json', async () => {
    const { service, run } = setup();
    const key = wif(0xef);
    const out = await run(['storemanagedprivatekey', 'BTC', '--testnet', '--json', '--label', 'cold'], {
      stdin: `${key}\n`,
    });
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout) as {
      address: string;
      keyOrigin: string;
      network: string;
      label: string;
    };
    expect(json).toMatchObject({ keyOrigin: 'EXTERNAL', network: 'testnet', label: 'cold' });
    expect(json.address).toBe(deriveAddress('BTC', 'testnet', secp256k1.getPublicKey(KEY, true)));
    expect(json.address).toMatch(/^tb1q/);
    expect(Buffer.from(service.imported[0]!.copy).toString('hex')).toBe(KEY_HEX);
    expectNoKey(out, key);
  });

  it('an uncompressed-key WIF is imported with a note about the P2PKH address', async () => {
    const { run } = setup();
    const out = await run(['storemanagedprivatekey', 'BTC'], { stdin: wif(0x80, false) });
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/^kms-signer: note: the WIF marks an uncompressed key;/);
  });

  it.each([
    ['nothing', '', 'privateKey: no key was given'],
    [
      '31 bytes of hex',
      `0x${KEY_HEX.slice(2)}`,
      'a hex key must be exactly 64 hex digits (32 bytes), got 62 characters',
    ],
    ['65 hex digits', `${KEY_HEX}a`, 'a hex key must be exactly 64 hex digits (32 bytes), got 65 characters'],
    ['zero', `0x${'0'.repeat(64)}`, 'the key is zero'],
    [
      'the group order n',
      '0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141',
      'not below the secp256k1 group order',
    ],
    [
      'a mainnet WIF for testnet',
      wif(0x80),
      'the WIF key is for another chain or network (version 0x80; BTC testnet uses 0xef)',
    ],
    [
      'a WIF with a bad checksum',
      `${wif(0xef).slice(0, -1)}${wif(0xef).endsWith('1') ? '2' : '1'}`,
      'not a WIF key (bad checksum)',
    ],
    [
      'a mnemonic',
      'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
      'not a key: expected 64 hex digits',
    ],
  ])('refuses %s with exit 2 and without echoing it', async (_name, input, message) => {
    const { service, run } = setup();
    const out = await run(['storemanagedprivatekey', 'BTC', '--testnet'], { stdin: input });
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^kms-signer: privateKey: .+\n$/);
    expect(out.stderr).toContain(message);
    if (input.length > 8) expect(out.stderr).not.toContain(input.trim().slice(2, 30));
    expect(service.calls).toEqual([]);
  });

  it('connects before reading the key: an unreachable service fails without touching stdin', async () => {
    const out = await cli(['storemanagedprivatekey', 'ETH'], {
      stdin: KEY_HEX,
      deps: { createContext: () => Promise.reject(new WalletError('UNAVAILABLE', 'MongoDB unavailable')) },
    });
    expect(out).toEqual({ code: 1, stdout: '', stderr: 'kms-signer: unavailable: MongoDB unavailable\n' });
  });

  it('refuses a WIF for an EVM chain', async () => {
    const { run } = setup();
    const out = await run(['storemanagedprivatekey', 'ETH'], { stdin: wif(0x80) });
    expect(out.code).toBe(2);
    expect(out.stderr).toBe(
      'kms-signer: privateKey: WIF keys are a Bitcoin-family format; give the ETH key as 64 hex digits\n',
    );
  });
});

describe('storemanagedprivatekey never takes the key from argv', () => {
  it.each([
    ['as a second argument', ['storemanagedprivatekey', 'ETH', `0x${KEY_HEX}`]],
    ['as --key=', ['storemanagedprivatekey', 'ETH', `--key=${KEY_HEX}`]],
    ['as --private-key <value>', ['storemanagedprivatekey', 'ETH', '--private-key', KEY_HEX]],
    ['as a WIF argument', ['storemanagedprivatekey', 'BTC', wif(0x80)]],
    ['instead of the chain', ['storemanagedprivatekey', `0x${KEY_HEX}`]],
    ['hidden in --label', ['storemanagedprivatekey', 'ETH', '--label', KEY_HEX]],
    ['on another command', ['getmanagedwallet', KEY_HEX]],
  ])('refuses a key %s (exit 2, not echoed, service untouched, stdin unread)', async (_name, argv) => {
    const { service, run } = setup();
    const out = await run(argv, { stdin: `0x${KEY_HEX}` });
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(
      /^kms-signer: argv: argument \d looks like a private key and was refused \(not shown\)\./,
    );
    expect(out.stderr).toContain('Treat that key as exposed');
    expectNoKey(out, wif(0x80));
    expect(service.calls).toEqual([]);
  });

  it.each([
    ['an extra argument', ['storemanagedprivatekey', 'ETH', 'notakey']],
    ['an unknown option', ['storemanagedprivatekey', 'ETH', '--key=s3cr3t-but-short']],
    ['an unknown option first', ['storemanagedprivatekey', '--private-key=s3cr3t-but-short']],
  ])('refuses %s without echoing it', async (_name, argv) => {
    const { service, run } = setup();
    const out = await run(argv, { stdin: `0x${KEY_HEX}` });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(
      /^kms-signer: privateKey: storemanagedprivatekey takes only <chain> and its options;/,
    );
    expect(out.stderr).not.toContain('s3cr3t');
    expect(out.stderr).not.toContain('notakey');
    expect(service.calls).toEqual([]);
  });

  it('an unknown chain is refused without echoing the value', async () => {
    const { run } = setup();
    const out = await run(['storemanagedprivatekey', 'hunter2'], { stdin: KEY_HEX });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^kms-signer: chain: not a supported chain \(value not shown\)/);
    expect(out.stderr).not.toContain('hunter2');
  });

  it('its help says where the key comes from and that argv is refused', async () => {
    const { run } = setup();
    const out = await run(['storemanagedprivatekey', '--help']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('It is NEVER taken from the command line');
    expect(out.stdout).toContain('hidden prompt');
  });
});

describe('storemanagedprivatekey: hidden prompt on a terminal', () => {
  /** Runs the command on a fake terminal and types `keystrokes` (one write per string). */
  async function typeAtPrompt(keystrokes: string[]) {
    const { service, run } = setup();
    const terminal: FakeTtyStdin[] = [];
    const out = await run(['storemanagedprivatekey', 'ETH'], {
      tty: true,
      stdin: (s) => {
        if (s instanceof FakeTtyStdin) terminal.push(s);
        for (const k of keystrokes) s.write(k);
      },
    });
    return { service, out, rawModes: terminal[0]!.rawModes };
  }

  it('turns echo off (raw mode), reads until Enter, handles backspace, prints nothing of the key', async () => {
    // typed in pieces, with a wrong character corrected by backspace (DEL)
    const { service, out, rawModes } = await typeAtPrompt([
      `0x${KEY_HEX.slice(0, 10)}Z\x7f`,
      `${KEY_HEX.slice(10)}\r`,
    ]);
    expect(out.code).toBe(0);
    expect(rawModes).toEqual([true, false]);
    expect(out.stderr).toBe('Private key for ETH mainnet (hex or WIF; input is hidden): \n');
    expect(service.imported[0]!.copy).toEqual(KEY);
    expectNoKey(out);
  });

  it('Ctrl-C cancels (exit 1) and restores the terminal', async () => {
    const { service, out, rawModes } = await typeAtPrompt([`0x${KEY_HEX.slice(0, 20)}\x03`]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('kms-signer: privateKey: cancelled\n');
    expect(rawModes).toEqual([true, false]);
    expect(service.calls).toEqual([]);
    expectNoKey(out);
  });

  it('a terminal that cannot turn echo off is refused before anything is typed', async () => {
    const { service, run } = setup();
    const out = await run(['storemanagedprivatekey', 'ETH'], { tty: true, stdin: KEY_HEX }); // no setRawMode
    expect(out.code).toBe(2);
    expect(out.stderr).toBe(
      'kms-signer: privateKey: this terminal cannot hide input; pipe the key on stdin instead\n',
    );
    expect(service.calls).toEqual([]);
  });
});
