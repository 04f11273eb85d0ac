// The EVM chains added for issue 14 (CELO, KLAY, XDC, ONE, KCS) go through the same EVM signer, with their
// own chain ids, address spellings, legacy-only rules, Celo's L2 rules and fee caps. Signed bytes are
// decoded by ethers (an independent decoder) and must recover to the wallet; refusals make no KMS call.
import { encodeRlp, Transaction, toBeHex } from 'ethers';
import { describe, expect, it } from 'vitest';

import { deriveAddress, type ChainId } from '../../../../src/chains/index.js';
import { DEFAULT_MAX_FEE_WEI, signEvmTransaction } from '../../../../src/signer/evm/index.js';
import { SigningRefusedError } from '../../../../src/signer/types.js';
import { prepareTransaction } from '../../../../src/signer/index.js';
import { evmRequest, KEY, RECIPIENT, recordingSigner, tatumPayload, WALLET_ADDRESS } from './fixtures.js';

const CHAIN_IDS: Record<string, [bigint, bigint]> = {
  CELO: [42220n, 11142220n],
  KLAY: [8217n, 1001n],
  XDC: [50n, 51n],
  ONE: [1666600000n, 1666700000n],
  KCS: [321n, 322n],
};

async function refused(chain: ChainId, unsigned: string | object, field: string, message?: RegExp) {
  const signer = recordingSigner();
  const attempt = signEvmTransaction(evmRequest(signer, unsigned, chain));
  await expect(attempt).rejects.toBeInstanceOf(SigningRefusedError);
  await expect(attempt).rejects.toMatchObject({ field });
  if (message) await expect(attempt).rejects.toThrow(message);
  expect(signer.calls).toHaveLength(0);
}

describe('issue-14 EVM chains', () => {
  for (const [chain, [mainnet, testnet]] of Object.entries(CHAIN_IDS)) {
    it(`${chain}: a Tatum legacy payload signs with chain id ${mainnet} / ${testnet} and recovers to the wallet`, async () => {
      for (const [network, chainId] of [
        ['mainnet', mainnet],
        ['testnet', testnet],
      ] as const) {
        const signer = recordingSigner();
        const signed = await signEvmTransaction(
          evmRequest(signer, tatumPayload(), chain as ChainId, network),
        );
        const tx = Transaction.from(signed.signed);
        expect(tx.chainId).toBe(chainId);
        expect(tx.type).toBe(0);
        expect(tx.from).toBe(WALLET_ADDRESS);
        expect(tx.to).toBe(RECIPIENT);
        expect(signed.txId).toBe(tx.hash);
      }
    });

    it(`${chain}: a payload chainId of another chain is refused`, async () => {
      await refused(chain as ChainId, tatumPayload({ chainId: 1 }), 'chainId', /is not/);
    });

    it(`${chain}: has a default fee cap`, () => {
      expect(DEFAULT_MAX_FEE_WEI[chain as ChainId]).toBeGreaterThan(0n);
    });
  }

  it('XDC: xdc… addresses in to and from are the same accounts as 0x…', async () => {
    const xdcRecipient = `xdc${RECIPIENT.slice(2)}`;
    const xdcFrom = deriveAddress('XDC', 'mainnet', KEY.publicKey);
    expect(xdcFrom).toBe(`xdc${WALLET_ADDRESS.slice(2)}`);
    const signed = await signEvmTransaction(
      evmRequest(recordingSigner(), tatumPayload({ to: xdcRecipient, from: xdcFrom }), 'XDC'),
    );
    expect(Transaction.from(signed.signed).to).toBe(RECIPIENT);
    const prepared = await prepareTransaction({
      chain: 'XDC',
      network: 'mainnet',
      wallets: [KEY.wallet],
      unsigned: JSON.stringify(tatumPayload({ to: xdcRecipient })),
    });
    expect({ ok: prepared.unrecognized === null, transfers: prepared.transfers }).toEqual({
      ok: true,
      transfers: [{ asset: 'native', to: RECIPIENT.toLowerCase(), amount: 1_000_000_000_000_000n }],
    });
  });

  it('XDC: a mixed-case xdc… address with a broken checksum is refused', async () => {
    const broken = `xdc${RECIPIENT.slice(2, -1)}${RECIPIENT.endsWith('2') ? '3' : '2'}`;
    await refused('XDC', tatumPayload({ to: broken }), 'to', /checksum/);
  });

  it('ONE: a one1… recipient is signed as its 0x account', async () => {
    const oneRecipient = 'one1a50tun737ulcvwy0yvve0pvu5skq0kjargvhwe'; // Trust Wallet Core Harmony vector
    const signed = await signEvmTransaction(
      evmRequest(recordingSigner(), tatumPayload({ to: oneRecipient }), 'ONE'),
    );
    expect(Transaction.from(signed.signed).to?.toLowerCase()).toBe(
      '0xed1ebe4fd1f73f86388f231997859ca42c07da5d',
    );
  });

  it('ONE: one1… is not an address on other chains', async () => {
    await refused('ETH', tatumPayload({ to: 'one1a50tun737ulcvwy0yvve0pvu5skq0kjargvhwe' }), 'to');
  });

  for (const chain of ['KLAY', 'XDC', 'ONE', 'KCS'] as const) {
    it(`${chain}: typed (EIP-1559) transactions are refused as not legacy`, async () => {
      await refused(
        chain,
        tatumPayload({ gasPrice: undefined, maxFeePerGas: '30000000000', maxPriorityFeePerGas: '1' }),
        'type',
        /legacy/,
      );
    });
  }

  it('CELO: EIP-1559 (type 2) is accepted, as on Ethereum', async () => {
    const signed = await signEvmTransaction(
      evmRequest(
        recordingSigner(),
        tatumPayload({ gasPrice: undefined, maxFeePerGas: '50000000000', maxPriorityFeePerGas: '1' }),
        'CELO',
      ),
    );
    expect(Transaction.from(signed.signed)).toMatchObject({ type: 2, chainId: 42220n });
  });

  it("CELO: Tatum's gasLimit field and an empty feeCurrency are accepted", async () => {
    const payload = {
      ...tatumPayload({ gas: undefined, gasLimit: '0x5208' }),
      feeCurrency: null,
      chainId: 42220,
    };
    const signed = await signEvmTransaction(evmRequest(recordingSigner(), payload, 'CELO'));
    expect(Transaction.from(signed.signed).gasLimit).toBe(21000n);
  });

  it('CELO: a fee currency is refused (no CIP-64), never signed in the Celo legacy format', async () => {
    await refused(
      'CELO',
      { ...tatumPayload(), feeCurrency: '0x765DE816845861e75A25fCA122bb6898B8B1282a' },
      'feeCurrency',
      /CIP-64 .* L2 migration/,
    );
  });

  it('CELO: gateway fee fields of the Celo legacy format are refused', async () => {
    await refused('CELO', { ...tatumPayload(), gatewayFee: '0x1' }, 'gatewayFee', /Celo legacy/);
    await refused(
      'CELO',
      { ...tatumPayload(), gatewayFeeRecipient: RECIPIENT },
      'gatewayFeeRecipient',
      /Celo legacy/,
    );
  });

  it('CELO: feeCurrency is not a field on other chains', async () => {
    await refused('ETH', { ...tatumPayload(), feeCurrency: null }, 'feeCurrency', /not a field/);
  });

  it('CELO: a raw 12-field Celo legacy transaction is refused by name', async () => {
    const q = (n: bigint | number) => (n === 0 || n === 0n ? '0x' : toBeHex(n));
    const celoLegacy = encodeRlp([
      q(3),
      q(20_000_000_000n),
      q(21000),
      '0x',
      '0x',
      '0x',
      RECIPIENT,
      q(1000),
      '0x',
      q(42220),
      '0x',
      '0x',
    ]);
    await refused('CELO', celoLegacy, 'unsigned', /12-field Celo legacy/);
  });

  it('fee caps per chain: the default cap refuses a fee above it', async () => {
    // ONE's cap is 10 ONE: 21,000 gas at 500,000 gwei = 10.5 ONE.
    await refused('ONE', tatumPayload({ gasPrice: '500000000000000' }), 'gasPrice', /default cap/);
    // KCS's cap is 0.05 KCS: 21,000 gas at 3,000 gwei = 0.063 KCS.
    await refused('KCS', tatumPayload({ gasPrice: '3000000000000' }), 'gasPrice', /default cap/);
  });
});
