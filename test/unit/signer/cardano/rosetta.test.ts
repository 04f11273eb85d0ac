// Tatum's ADA payload as Tatum sends it — Rosetta operations — built into a body with
// cardano-serialization-lib, checked like any body, signed once; the library decodes the signed
// transaction back to the operations' inputs, outputs and fee and verifies the witness. Hostile
// operations are refused with zero Sign calls.
import { FixedTransaction } from '@emurgo/cardano-serialization-lib-nodejs';
import { describe, expect, it } from 'vitest';
import { deriveAddress } from '../../../../src/chains/index.js';
import { signCardanoTransaction } from '../../../../src/signer/cardano/index.js';
import { tatumAdaOperations, type AdaOperationsSpec } from '../../../support/cardano.js';
import { ed25519UnitSetup } from '../../../support/ed25519-unit.js';
import { ed25519TestKey } from '../../../support/solana.js';

const { wallet, walletAddress, destination, request, refusal } = ed25519UnitSetup(
  'ADA',
  'ada-rosetta',
  signCardanoTransaction,
);
const COIN_A = `${'a1'.repeat(32)}:0`;
const COIN_B = `${'b2'.repeat(32)}:3`;

function withdrawal(overrides: Partial<AdaOperationsSpec> = {}): AdaOperationsSpec {
  return {
    inputs: [
      { coin: COIN_A, address: walletAddress, lovelace: 6_000_000n },
      { coin: COIN_B, address: walletAddress, lovelace: 4_000_000n },
    ],
    outputs: [
      { address: destination, lovelace: 3_000_000n },
      { address: walletAddress, lovelace: 6_820_000n },
    ],
    ...overrides,
  };
}

describe("Tatum's ADA Rosetta operations", () => {
  it('builds the body (inputs, outputs, fee = inputs − outputs, ttl), signs it once, CSL verifies', async () => {
    const { signer, request: req } = request(tatumAdaOperations(withdrawal()), { ttlSlot: 90_000_000 });
    const signed = await signCardanoTransaction(req);
    expect(signer.calls).toHaveLength(1);

    const tx = FixedTransaction.from_hex(signed.signed);
    const body = tx.body();
    const inputs = Array.from({ length: body.inputs().len() }, (_, i) => body.inputs().get(i));
    expect(inputs.map((input) => `${input.transaction_id().to_hex()}:${input.index()}`)).toEqual([
      COIN_A,
      COIN_B,
    ]);
    const outputs = body.outputs();
    expect(
      [0, 1].map((i) => [outputs.get(i).address().to_bech32(), outputs.get(i).amount().coin().to_str()]),
    ).toEqual([
      [destination, '3000000'],
      [walletAddress, '6820000'],
    ]);
    expect(body.fee().to_str()).toBe('180000');
    expect(body.ttl_bignum()?.to_str()).toBe('90000000');
    const witness = tx.witness_set().vkeys()?.get(0);
    expect(Buffer.from(witness?.vkey().public_key().as_bytes() ?? []).toString('hex')).toBe(
      Buffer.from(wallet.publicKey).toString('hex'),
    );
    expect(witness?.vkey().public_key().verify(tx.transaction_hash().to_bytes(), witness.signature())).toBe(
      true,
    );
    expect(signed.txId).toBe(tx.transaction_hash().to_hex());
  });

  it('reports the payment (change excluded) and the implicit fee to policy', async () => {
    const { prepareCardanoTransaction } = await import('../../../../src/signer/cardano/index.js');
    const { request: req } = request(tatumAdaOperations(withdrawal()));
    const prepared = await prepareCardanoTransaction(req);
    expect(prepared.transfers).toEqual([{ asset: 'native', to: destination, amount: 3_000_000n }]);
    expect(prepared.fee).toBe(180_000n);
  });

  it('refuses hostile operations with zero Sign calls', async () => {
    const foreign = deriveAddress('ADA', 'testnet', ed25519TestKey('someone-else').publicKey);
    const mainnet = deriveAddress('ADA', 'mainnet', ed25519TestKey('ada-rosetta-destination').publicKey);
    const cases: [AdaOperationsSpec | string, string, string][] = [
      [
        withdrawal({ inputs: [{ coin: COIN_A, address: foreign, lovelace: 10_000_000n }] }),
        'INPUT_NOT_OURS',
        'serializedTransaction[0].account.address',
      ],
      [withdrawal({ outputs: [{ address: destination, lovelace: 5_000_000n }] }), 'FEE_TOO_HIGH', 'body.fee'],
      [
        withdrawal({ outputs: [{ address: destination, lovelace: 10_000_001n }] }),
        'OUTPUTS_EXCEED_INPUTS',
        'serializedTransaction',
      ],
      [
        withdrawal({ outputs: [{ address: mainnet, lovelace: 9_800_000n }] }),
        'MALFORMED_TRANSACTION',
        'body.outputs[0].address',
      ],
      [
        withdrawal({
          inputs: [
            { coin: COIN_A, address: walletAddress, lovelace: 5_000_000n },
            { coin: COIN_A, address: walletAddress, lovelace: 5_000_000n },
          ],
        }),
        'MALFORMED_TRANSACTION',
        'serializedTransaction[1].coin_change',
      ],
      [
        tatumAdaOperations(withdrawal()).replace('"type":"output"', '"type":"stakeDelegation"'),
        'UNSUPPORTED_TRANSACTION',
        '',
      ],
      [
        tatumAdaOperations(withdrawal()).replace(
          '"symbol":"ADA","decimals":6}}',
          '"symbol":"ADA","decimals":6},"metadata":{"tokenBundle":[]}}',
        ),
        'UNSUPPORTED_TRANSACTION',
        '',
      ],
    ];
    for (const [spec, code, field] of cases) {
      const unsigned = typeof spec === 'string' ? spec : tatumAdaOperations(spec);
      const error = await refusal(unsigned);
      expect(error, `${code} ${field}`).toMatchObject({ code });
      if (field !== '') expect(error.field).toBe(field);
    }
  });
});
