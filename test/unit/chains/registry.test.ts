import { networks } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';

import {
  ADDRESS_FORMATS,
  CHAIN_IDS,
  CHAINS,
  NETWORK_NAMES,
  UnsupportedChainError,
  UnsupportedNetworkError,
  bitcoinjsNetwork,
  getFamilyChain,
  getChain,
  getNetwork,
  isChainId,
  isNetworkName,
  listChains,
  listNetworks,
} from '../../../src/chains/index.js';

describe('chain registry', () => {
  it('lists every chain once, keyed by its own id, in CHAIN_IDS order', () => {
    expect(listChains().map((c) => c.id)).toEqual([...CHAIN_IDS]);
    for (const id of CHAIN_IDS) expect(CHAINS[id].id).toBe(id);
  });

  it('describes each chain consistently', () => {
    for (const chain of listChains()) {
      expect(chain.name.length).toBeGreaterThan(0);
      // FLOW alone has no derivable address: accounts are created on chain and hold the key.
      if (chain.id === 'FLOW') expect(chain.addressFormats).toEqual([]);
      else expect(chain.addressFormats.length).toBeGreaterThan(0);
      for (const f of chain.addressFormats) expect(ADDRESS_FORMATS).toContain(f);
      // every derivable format must also be accepted as a destination ('p2sh-p2wpkh' validates as 'p2sh')
      for (const f of chain.addressFormats) {
        expect(chain.destinationFormats).toContain(f === 'p2sh-p2wpkh' ? 'p2sh' : f);
      }
      expect(listNetworks(chain.id)).toContain('mainnet');
      expect(listNetworks(chain.id)).toContain('testnet');
    }
  });

  it('uses the requested default formats', () => {
    expect(getChain('BTC').addressFormats).toEqual(['p2wpkh', 'p2sh-p2wpkh', 'p2pkh']);
    expect(getChain('LTC').addressFormats).toEqual(['p2wpkh', 'p2sh-p2wpkh', 'p2pkh']);
    expect(getChain('DOGE').addressFormats).toEqual(['p2pkh']);
    expect(getChain('BCH').addressFormats).toEqual(['cashaddr', 'p2pkh']);
    for (const id of ['ETH', 'BSC', 'MATIC', 'EVM_DEV'] as const)
      expect(getChain(id).addressFormats).toEqual(['evm']);
    expect(getChain('TRON').addressFormats).toEqual(['tron']);
  });

  it('has regtest only where asked for', () => {
    expect(listNetworks('BTC')).toEqual(['mainnet', 'testnet', 'regtest']);
    expect(listNetworks('BCH')).toEqual(['mainnet', 'testnet', 'regtest']);
    for (const id of ['LTC', 'DOGE', 'ETH', 'BSC', 'MATIC', 'EVM_DEV', 'TRON']) {
      expect(listNetworks(id)).toEqual(['mainnet', 'testnet']);
    }
  });

  it('carries the EVM chain ids', () => {
    const ids = (c: string) => [
      getFamilyChain('evm', c, 'mainnet').params.chainId,
      getFamilyChain('evm', c, 'testnet').params.chainId,
    ];
    expect(ids('ETH')).toEqual([1, 11155111]);
    expect(ids('BSC')).toEqual([56, 97]);
    expect(ids('MATIC')).toEqual([137, 80002]);
    expect(ids('EVM_DEV')).toEqual([31337, 31337]);
  });

  it('carries the Bitcoin-family version bytes and prefixes', () => {
    const p = (c: string, n: string) => getFamilyChain('bitcoin', c, n).params;
    expect(p('LTC', 'mainnet')).toMatchObject({
      bech32Hrp: 'ltc',
      pubKeyHash: 0x30,
      scriptHash: 0x32,
      wif: 0xb0,
    });
    expect(p('LTC', 'testnet')).toMatchObject({
      bech32Hrp: 'tltc',
      pubKeyHash: 0x6f,
      scriptHash: 0x3a,
      wif: 0xef,
    });
    expect(p('DOGE', 'mainnet')).toMatchObject({
      bech32Hrp: null,
      pubKeyHash: 0x1e,
      scriptHash: 0x16,
      wif: 0x9e,
    });
    expect(p('DOGE', 'testnet')).toMatchObject({
      bech32Hrp: null,
      pubKeyHash: 0x71,
      scriptHash: 0xc4,
      wif: 0xf1,
    });
    expect(p('BCH', 'mainnet').cashAddrPrefix).toBe('bitcoincash');
    expect(p('BCH', 'testnet').cashAddrPrefix).toBe('bchtest');
    expect(p('BCH', 'regtest').cashAddrPrefix).toBe('bchreg');
    expect(p('BTC', 'regtest')).toMatchObject({ bech32Hrp: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4 });
    expect(getFamilyChain('tron', 'TRON', 'testnet').params.addressPrefix).toBe(0x41);
  });

  it('isChainId / isNetworkName accept exactly the known names', () => {
    for (const id of CHAIN_IDS) expect(isChainId(id)).toBe(true);
    for (const x of ['btc', 'DOT', '', 'toString', '__proto__']) expect(isChainId(x)).toBe(false);
    for (const n of NETWORK_NAMES) expect(isNetworkName(n)).toBe(true);
    expect(isNetworkName('signet')).toBe(false);
  });

  it('getChain throws a clear error naming the unknown chain and the supported ones', () => {
    expect(() => getChain('DOT')).toThrow(UnsupportedChainError);
    expect(() => getChain('DOT')).toThrow(/"DOT".*KCS, XRP, SOL, ADA, EGLD, FLOW, XLM, ALGO, VET/);
    expect(() => getChain('constructor')).toThrow(UnsupportedChainError);
  });

  it('refuses BNB (Beacon Chain) with the reason, not as an unknown chain', () => {
    expect(() => getChain('BNB')).toThrow(/BNB Beacon Chain .* shut down in December 2024/);
    expect(() => getChain('bnb')).toThrow(/shut down/);
    expect(isChainId('BNB')).toBe(false);
  });

  it('issue-14 EVM chains carry their current chain ids (mainnet / testnet)', () => {
    const ids = (chain: string) => [
      getFamilyChain('evm', chain, 'mainnet').params.chainId,
      getFamilyChain('evm', chain, 'testnet').params.chainId,
    ];
    expect(ids('CELO')).toEqual([42220, 11142220]); // Celo Sepolia replaced Alfajores (44787) in 2025
    expect(ids('KLAY')).toEqual([8217, 1001]);
    expect(ids('XDC')).toEqual([50, 51]);
    expect(ids('ONE')).toEqual([1666600000, 1666700000]);
    expect(ids('KCS')).toEqual([321, 322]);
  });

  it('getNetwork throws for networks a chain does not have', () => {
    expect(getNetwork('BTC', 'regtest')).toMatchObject({ bech32Hrp: 'bcrt' });
    expect(() => getNetwork('ETH', 'regtest')).toThrow(UnsupportedNetworkError);
    expect(() => getNetwork('ETH', 'regtest')).toThrow(/"regtest" for chain ETH.*mainnet, testnet/);
    expect(() => getNetwork('LTC', 'signet')).toThrow(/"signet" for chain LTC/);
    expect(() => getNetwork('NOPE', 'mainnet')).toThrow(UnsupportedChainError);
  });

  it('family accessors refuse chains of another family', () => {
    expect(() => getFamilyChain('bitcoin', 'ETH', 'mainnet')).toThrow(/evm-family/);
    expect(() => getFamilyChain('evm', 'TRON', 'mainnet')).toThrow(UnsupportedChainError);
    expect(() => getFamilyChain('tron', 'BTC', 'mainnet')).toThrow(UnsupportedChainError);
  });
});

describe('bitcoinjsNetwork', () => {
  it('matches bitcoinjs-lib built-in networks for BTC (cross-check of the registry constants)', () => {
    expect(bitcoinjsNetwork('BTC', 'mainnet')).toEqual(networks.bitcoin);
    expect(bitcoinjsNetwork('BTC', 'testnet')).toEqual(networks.testnet);
    expect(bitcoinjsNetwork('BTC', 'regtest')).toEqual(networks.regtest);
  });

  it('builds networks for the other Bitcoin-family chains', () => {
    expect(bitcoinjsNetwork('LTC', 'mainnet')).toMatchObject({
      messagePrefix: '\x19Litecoin Signed Message:\n',
      bech32: 'ltc',
      pubKeyHash: 0x30,
      scriptHash: 0x32,
      wif: 0xb0,
    });
    expect(bitcoinjsNetwork('DOGE', 'mainnet')).toMatchObject({
      messagePrefix: '\x19Dogecoin Signed Message:\n',
      bech32: '',
      bip32: { public: 0x02facafd, private: 0x02fac398 },
      pubKeyHash: 0x1e,
    });
    expect(bitcoinjsNetwork('BCH', 'testnet')).toMatchObject({
      bech32: '',
      pubKeyHash: 0x6f,
      scriptHash: 0xc4,
    });
  });

  it('refuses non-Bitcoin chains and unknown networks', () => {
    expect(() => bitcoinjsNetwork('ETH', 'mainnet')).toThrow(UnsupportedChainError);
    expect(() => bitcoinjsNetwork('DOGE', 'regtest')).toThrow(UnsupportedNetworkError);
  });
});
