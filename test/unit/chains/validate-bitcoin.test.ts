import { describe, expect, it } from 'vitest';

import {
  InvalidAddressError,
  UnsupportedChainError,
  UnsupportedNetworkError,
  addressToOutputScript,
  validateAddress,
  type ChainId,
  type NetworkName,
} from '../../../src/chains/index.js';

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const p2pkh = (hash: string) => `76a914${hash}88ac`;
const p2sh = (hash: string) => `a914${hash}87`;

function expectValid(
  chain: ChainId,
  network: NetworkName,
  address: string,
  format: string,
  script?: string,
): void {
  const result = validateAddress(chain, network, address);
  expect(result, `${chain} ${network} ${address}`).toMatchObject({ valid: true, format });
  if (script !== undefined) expect(toHex(addressToOutputScript(chain, network, address))).toBe(script);
}

function expectInvalid(chain: ChainId, network: NetworkName, address: string, reason?: RegExp): void {
  const result = validateAddress(chain, network, address);
  expect(result.valid, `${chain} ${network} ${JSON.stringify(address)} should be invalid`).toBe(false);
  if (reason !== undefined && !result.valid) expect(result.reason).toMatch(reason);
}

describe('BTC segwit (BIP-173 / BIP-350)', () => {
  // BIP-350 §Test vectors for v0-v16 native segregated witness addresses (valid list, with scriptPubKeys),
  // https://github.com/bitcoin/bips/blob/master/bip-0350.mediawiki#test-vectors-for-v0-v16-native-segregated-witness-addresses
  const valid: [NetworkName, string, string, string][] = [
    [
      'mainnet',
      'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4',
      'p2wpkh',
      '0014751e76e8199196d454941c45d1b3a323f1433bd6',
    ],
    [
      'testnet',
      'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
      'p2wsh',
      '00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262',
    ],
    [
      'testnet',
      'tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy',
      'p2wsh',
      '0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433',
    ],
    [
      'testnet',
      'tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c',
      'p2tr',
      '5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433',
    ],
    [
      'mainnet',
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
      'p2tr',
      '512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798',
    ],
  ];
  for (const [network, address, format, script] of valid) {
    it(`accepts ${address} as ${format} and pays to ${script.slice(0, 8)}…`, () => {
      expectValid('BTC', network, address, format, script);
      expect(validateAddress('BTC', network, address)).toMatchObject({ normalized: address.toLowerCase() });
    });
  }

  it('accepts the BIP-173 §Examples P2WSH address (key OP_CHECKSIG of G)', () => {
    expectValid('BTC', 'mainnet', 'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3', 'p2wsh');
  });

  // Also in BIP-350's valid list, but neither P2WPKH/P2WSH nor 32-byte P2TR: anyone-can-spend today, so a
  // custodial signer refuses them (deliberate deviation from BIP-350's "recognize as valid recipients").
  for (const address of [
    'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y',
    'BC1SW50QGDZ25J',
    'bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs',
  ]) {
    it(`refuses future/non-standard witness program ${address}`, () => {
      expectInvalid('BTC', 'mainnet', address, /not a supported output type/);
    });
  }

  // BIP-173 §Test vectors (invalid segwit addresses) and BIP-350 §Test vectors (invalid addresses).
  const invalid: [NetworkName, string, string][] = [
    ['mainnet', 'tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty', 'BIP-173: invalid human-readable part'],
    ['mainnet', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', 'BIP-173: invalid checksum'],
    ['mainnet', 'BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2', 'BIP-173: invalid witness version'],
    ['mainnet', 'bc1rw5uspcuh', 'BIP-173: invalid program length'],
    [
      'mainnet',
      'bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90',
      'BIP-173: invalid program length',
    ],
    [
      'mainnet',
      'BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P',
      'BIP-173: invalid program length for witness version 0',
    ],
    ['testnet', 'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7', 'BIP-173: mixed case'],
    ['mainnet', 'bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du', 'BIP-173: zero padding of more than 4 bits'],
    [
      'testnet',
      'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv',
      'BIP-173: non-zero padding in 8-to-5 conversion',
    ],
    ['mainnet', 'bc1gmk9yu', 'BIP-173: empty data section'],
    [
      'testnet',
      'tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut',
      'BIP-350: invalid human-readable part',
    ],
    [
      'mainnet',
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd',
      'BIP-350: bech32 instead of bech32m',
    ],
    [
      'testnet',
      'tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf',
      'BIP-350: bech32 instead of bech32m',
    ],
    [
      'mainnet',
      'BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL',
      'BIP-350: bech32 instead of bech32m',
    ],
    ['mainnet', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh', 'BIP-350: bech32m instead of bech32'],
    [
      'testnet',
      'tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47',
      'BIP-350: bech32m instead of bech32',
    ],
    [
      'mainnet',
      'bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4',
      'BIP-350: invalid character in checksum',
    ],
    [
      'mainnet',
      'BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R',
      'BIP-350: invalid witness version',
    ],
    ['mainnet', 'bc1pw5dgrnzv', 'BIP-350: invalid program length (1 byte)'],
    [
      'mainnet',
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav',
      'BIP-350: invalid program length (41 bytes)',
    ],
    ['testnet', 'tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq', 'BIP-350: mixed case'],
    [
      'mainnet',
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf',
      'BIP-350: zero padding of more than 4 bits',
    ],
    [
      'testnet',
      'tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j',
      'BIP-350: non-zero padding in 8-to-5 conversion',
    ],
  ];
  for (const [network, address, why] of invalid) {
    it(`rejects ${address} (${why})`, () => {
      expectInvalid('BTC', network, address);
      expectInvalid('BTC', network === 'mainnet' ? 'testnet' : 'mainnet', address);
    });
  }

  it('rejects a valid address of the wrong network, naming the network it belongs to', () => {
    // BIP-173 §Examples
    expectInvalid(
      'BTC',
      'mainnet',
      'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx',
      /"tb" is not "bc".*BTC testnet/,
    );
    expectInvalid(
      'BTC',
      'testnet',
      'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
      /"bc" is not "tb".*BTC mainnet/,
    );
    // libwally-core test_descriptor.c combo(G) on regtest
    expectInvalid('BTC', 'testnet', 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080', /BTC regtest/);
    expectInvalid('BTC', 'regtest', 'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx', /"tb" is not "bcrt"/);
  });

  it('accepts regtest bech32 addresses on regtest (libwally-core test_descriptor.c)', () => {
    expectValid(
      'BTC',
      'regtest',
      'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080',
      'p2wpkh',
      '0014751e76e8199196d454941c45d1b3a323f1433bd6',
    );
  });
});

describe('BTC base58', () => {
  // bitcoinjs-lib test/integration/addresses.js (key 1) and libwally-core test_descriptor.c (regtest combo of G)
  it('accepts P2PKH and P2SH and returns their scripts', () => {
    expectValid(
      'BTC',
      'mainnet',
      '1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH',
      'p2pkh',
      p2pkh('751e76e8199196d454941c45d1b3a323f1433bd6'),
    );
    expectValid(
      'BTC',
      'mainnet',
      '3JvL6Ymt8MVWiCNHC7oWU6nLeHNJKLZGLN',
      'p2sh',
      'a914bcfeb728b584253d5f3f70bcb780e9ef218a68f487',
    );
    expectValid(
      'BTC',
      'testnet',
      'mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r',
      'p2pkh',
      p2pkh('751e76e8199196d454941c45d1b3a323f1433bd6'),
    );
    expectValid('BTC', 'testnet', '2NAUYAHhujozruyzpsFRP63mbrdaU5wnEpN', 'p2sh');
    // regtest shares testnet's base58 versions (Bitcoin Core chainparams), so these are also regtest addresses
    expectValid('BTC', 'regtest', 'mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r', 'p2pkh');
  });

  it('keeps the address as the normalized form (base58 is case-sensitive)', () => {
    expect(validateAddress('BTC', 'mainnet', '1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH')).toEqual({
      valid: true,
      format: 'p2pkh',
      normalized: '1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH',
    });
  });

  it('rejects a bad checksum', () => {
    expectInvalid('BTC', 'mainnet', '1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMJ', /checksum/);
    expectInvalid('BTC', 'mainnet', '3JvL6Ymt8MVWiCNHC7oWU6nLeHNJKLZGLM', /checksum/);
    expectInvalid('BTC', 'mainnet', '1bgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH', /checksum/); // one letter's case changed
  });

  it('rejects the wrong network, naming who uses the version byte', () => {
    expectInvalid('BTC', 'mainnet', 'mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r', /0x6f.*BTC testnet P2PKH/);
    expectInvalid('BTC', 'testnet', '3JvL6Ymt8MVWiCNHC7oWU6nLeHNJKLZGLN', /0x05.*BTC mainnet P2SH/);
  });

  it('rejects addresses of other chains', () => {
    expectInvalid('BTC', 'mainnet', 'LV7LV7Z4bWDEjYkfx9dQo6k6RjGbXsg6hS', /0x30.*LTC mainnet P2PKH/); // Trust Wallet Core
    expectInvalid('BTC', 'mainnet', 'DNRTC6GZ5evmM7BZWwPqF54fyDqUqULMyu', /0x1e.*DOGE mainnet P2PKH/); // Trust Wallet Core
    expectInvalid(
      'BTC',
      'mainnet',
      'ltc1qytnqzjknvv03jwfgrsmzt0ycmwqgl0asjnaxwu',
      /"ltc" is not "bc".*LTC mainnet/,
    );
    expectInvalid('BTC', 'mainnet', 'TJRyWwFs9wTFGZg3JbrVriFbNfCug5tDeC', /0x41.*TRON/);
    expectInvalid('BTC', 'mainnet', '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    expectInvalid('BTC', 'mainnet', 'bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a');
    expectInvalid('BTC', 'mainnet', 'qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a');
  });

  it('rejects garbage', () => {
    for (const garbage of [
      '',
      ' ',
      'hello',
      '1',
      'bc1',
      'bc1q',
      '0x',
      '🙂',
      '1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH ',
      ' 1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH',
      '1BgGZ9tcN4rm9KBzDn7K\nprQz87SZ26SAMH',
      'x'.repeat(200),
      '111111111111111111114oLvT2',
    ]) {
      expectInvalid('BTC', 'mainnet', garbage);
    }
  });
});

describe('LTC', () => {
  it('accepts Litecoin Core key_io_valid.json base58 vectors with their scripts', () => {
    // https://github.com/litecoin-project/litecoin/blob/master/src/test/data/key_io_valid.json
    expectValid(
      'LTC',
      'mainnet',
      'LT2KVaAy1ppRuxRgrS5RNU3vBsy7RibPeA',
      'p2pkh',
      '76a914558dbca7118cd5894502767c7b2ffc21a22f54db88ac',
    );
    expectValid(
      'LTC',
      'mainnet',
      'MHrYRxAiMNBTku3eoDHwhA1LQGDjUStZW2',
      'p2sh',
      'a9146d328a5b2a20d943a641c8d29b6cc3c2d2df85d387',
    );
    expectValid(
      'LTC',
      'testnet',
      'mwXn5Vhicdav8Av3KMokx4YNuHoGRKxtWs',
      'p2pkh',
      '76a914afa9e672141e283dfbcc1cf28f3793a856d3878488ac',
    );
    expectValid(
      'LTC',
      'testnet',
      'QXaUgLHkZcbJb2j5XgMYzY8cF9YM48Y81Z',
      'p2sh',
      'a9147860667e60a6545e18e541984094b29c9c46991b87',
    );
  });

  it('accepts Trust Wallet Core lock-script vectors (TWLitecoinTests.cpp Litecoin.LockScripts)', () => {
    // https://github.com/trustwallet/wallet-core/blob/master/tests/chains/Litecoin/TWLitecoinTests.cpp
    expectValid(
      'LTC',
      'mainnet',
      'ltc1qs32zgdhe2tpzcnz55r7d9jvhce33063sfht3q0',
      'p2wpkh',
      '001484542436f952c22c4c54a0fcd2c997c66317ea30',
    );
    expectValid(
      'LTC',
      'mainnet',
      'MHhghmmCTASDnuwpgsPUNJVPTFaj61GzaG',
      'p2sh',
      'a9146b85b3dac9340f36b9d32bbacf2ffcb0851ef17987',
    );
    expectValid(
      'LTC',
      'mainnet',
      'LgKiekick9Ka7gYoYzAWGrEq8rFBJzYiyf',
      'p2pkh',
      '76a914e771c6695c5dd189ccc4ef00cd0f3db3096d79bd88ac',
    );
  });

  it('matches Trust Wallet Core LitecoinTests.swift testLitecoinBlockchain', () => {
    // https://github.com/trustwallet/wallet-core/blob/master/swift/Tests/Blockchains/LitecoinTests.swift
    expectValid('LTC', 'mainnet', 'ltc1qytnqzjknvv03jwfgrsmzt0ycmwqgl0asjnaxwu', 'p2wpkh');
    expectValid('LTC', 'mainnet', 'LWPvWpD86JNrBVGiju377iuShKGPq5AmoV', 'p2pkh');
    expectValid('LTC', 'mainnet', 'MX9ZMoqAQ7ATem77pCPTfeCP1n93YaLekd', 'p2sh');
    expectInvalid('LTC', 'mainnet', 'Xm1iDLBP5tdxTxc6t7uJBCVjC4L2A5vB2J', /0x4c/); // Dash
    expectInvalid('LTC', 'mainnet', 'bitcoincash:qq07l6rr5lsdm3m80qxw80ku2ex0tj76vvsxpvmgme');
    expectInvalid(
      'LTC',
      'mainnet',
      'bc1qvtvte5tzlqlfhcdmph94lxk8jcz54q6psyvgla',
      /"bc" is not "ltc".*BTC mainnet/,
    );
  });

  it('refuses the deprecated 3…/2… P2SH versions that collide with Bitcoin P2SH', () => {
    // Litecoin Core still decodes SCRIPT_ADDRESS (5 / 196) next to SCRIPT_ADDRESS2 (50 / 58), chainparams.cpp
    expectInvalid('LTC', 'mainnet', '3JvL6Ymt8MVWiCNHC7oWU6nLeHNJKLZGLN', /deprecated P2SH version.*0x32/);
    expectInvalid('LTC', 'testnet', '2NAUYAHhujozruyzpsFRP63mbrdaU5wnEpN', /deprecated P2SH version.*0x3a/);
  });

  it('checks the network (tltc vs ltc, M vs Q)', () => {
    // Constructed input, not a published vector: BIP-173's program of G re-encoded with HRP "tltc"
    // (checked with an independent bech32 coder).
    expectValid(
      'LTC',
      'testnet',
      'tltc1qw508d6qejxtdg4y5r3zarvary0c5xw7klfsuq0',
      'p2wpkh',
      '0014751e76e8199196d454941c45d1b3a323f1433bd6',
    );
    expectInvalid(
      'LTC',
      'mainnet',
      'tltc1qw508d6qejxtdg4y5r3zarvary0c5xw7klfsuq0',
      /"tltc" is not "ltc".*LTC testnet/,
    );
    expectInvalid('LTC', 'testnet', 'ltc1qytnqzjknvv03jwfgrsmzt0ycmwqgl0asjnaxwu', /LTC mainnet/);
    expectInvalid('LTC', 'testnet', 'MHrYRxAiMNBTku3eoDHwhA1LQGDjUStZW2', /0x32.*LTC mainnet P2SH/);
    expectInvalid('LTC', 'mainnet', 'QXaUgLHkZcbJb2j5XgMYzY8cF9YM48Y81Z', /0x3a.*LTC testnet P2SH/);
  });

  it('accepts P2WSH and Taproot destinations', () => {
    // Constructed inputs, not published vectors: the BIP-173 P2WSH program and the BIP-350 P2TR programs
    // re-encoded under Litecoin's HRPs (checked with an independent bech32/bech32m coder).
    expectValid(
      'LTC',
      'mainnet',
      'ltc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qmu8tk5',
      'p2wsh',
      '00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262',
    );
    expectValid(
      'LTC',
      'mainnet',
      'ltc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqpj6zg2',
      'p2tr',
      '512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798',
    );
    expectValid(
      'LTC',
      'testnet',
      'tltc1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvseskjtjs8',
      'p2tr',
      '5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433',
    );
  });

  it('rejects a bad checksum and garbage', () => {
    expectInvalid('LTC', 'mainnet', 'LT2KVaAy1ppRuxRgrS5RNU3vBsy7RibPeB', /checksum/);
    expectInvalid('LTC', 'mainnet', 'ltc1qs32zgdhe2tpzcnz55r7d9jvhce33063sfht3q1');
    expectInvalid('LTC', 'mainnet', 'litecoin');
  });
});

describe('DOGE', () => {
  it('accepts Dogecoin Core base58_keys_valid.json vectors', () => {
    // https://github.com/dogecoin/dogecoin/blob/master/src/test/data/base58_keys_valid.json
    expectValid(
      'DOGE',
      'mainnet',
      'DD4KSSuBJqcjuTcvUg1CgUKeurPUFeEZkE',
      'p2pkh',
      p2pkh('56d9b1d684d5abef32134ebc6883d75d3a53e9be'),
    );
    expectValid(
      'DOGE',
      'mainnet',
      'A7HRQk3GFCW2QasvdZxXuYj8kkQK5QrYLs',
      'p2sh',
      p2sh('a2dd71f34fe73314d6e37c44035513f203aa400b'),
    );
    expectValid(
      'DOGE',
      'testnet',
      'nhRsrUaxZou6sewjqaS37cJrMRJRgwVXdk',
      'p2pkh',
      p2pkh('9131c29384f000c0d651660eefaf1717c8ca1855'),
    );
    expectValid(
      'DOGE',
      'testnet',
      '2MsvyG12kxxipe276Au4zKqvd2xdrBuHWb3',
      'p2sh',
      p2sh('078457e357c6c4d8736515d14482089dd2a1f9f8'),
    );
  });

  it('accepts Trust Wallet Core lock-script vectors (TWDogeTests.cpp Doge.LockScripts)', () => {
    // https://github.com/trustwallet/wallet-core/blob/master/tests/chains/Dogecoin/TWDogeTests.cpp
    expectValid(
      'DOGE',
      'mainnet',
      'DLSSSUS3ex7YNDACJDxMER1ZMW579Vy8Zy',
      'p2pkh',
      '76a914a7d191ec42aa113e28cd858cceaa7c733ba2f77788ac',
    );
    expectValid(
      'DOGE',
      'mainnet',
      'AETZJzedcmLM2rxCM6VqCGF3YEMUjA3jMw',
      'p2sh',
      'a914f191149f72f235548746654f5b473c58258f7fb687',
    );
  });

  it('rejects bad checksums (libdogecoin address_tests.c, Dogecoin Core key_tests.cpp strAddressBad)', () => {
    expectInvalid('DOGE', 'mainnet', 'DP6xxxDJxxxJAaWucRfsPvXLPGRyF3DdeP', /checksum/);
    expectInvalid('DOGE', 'mainnet', 'Dasdfasdfasdfasdfasdfasdfasdfasdfx');
    expectInvalid('DOGE', 'mainnet', 'DRjyUS2uuieEPkhZNdQz8hE5YycxVEqSXA', /checksum/);
  });

  it('rejects the wrong network and other chains', () => {
    expectInvalid('DOGE', 'testnet', 'DD4KSSuBJqcjuTcvUg1CgUKeurPUFeEZkE', /0x1e.*DOGE mainnet P2PKH/);
    expectInvalid('DOGE', 'mainnet', 'nhRsrUaxZou6sewjqaS37cJrMRJRgwVXdk', /0x71.*DOGE testnet P2PKH/);
    expectInvalid('DOGE', 'testnet', 'mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r', /0x6f.*BTC testnet P2PKH/);
    expectInvalid('DOGE', 'mainnet', '1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH', /0x00/);
    expectInvalid(
      'DOGE',
      'mainnet',
      'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
      /Dogecoin has no native segwit/,
    );
  });
});

describe('validateAddress / addressToOutputScript: programming errors', () => {
  it('throws for unknown chains and networks instead of returning valid: false', () => {
    expect(() => validateAddress('DOT' as never, 'mainnet', 'addr1…')).toThrow(UnsupportedChainError);
    expect(() => validateAddress('DOGE', 'regtest', 'D…')).toThrow(UnsupportedNetworkError);
  });

  it('addressToOutputScript throws InvalidAddressError with the reason, and refuses non-Bitcoin chains', () => {
    expect(() =>
      addressToOutputScript('BTC', 'mainnet', 'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx'),
    ).toThrow(InvalidAddressError);
    expect(() =>
      addressToOutputScript('BTC', 'mainnet', 'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx'),
    ).toThrow(/Invalid address for BTC mainnet: human-readable part "tb"/);
    expect(() =>
      addressToOutputScript('ETH', 'mainnet', '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'),
    ).toThrow(UnsupportedChainError);
  });
});
