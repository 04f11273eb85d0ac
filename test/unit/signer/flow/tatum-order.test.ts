// Tatum's FLOW payload `{type, body}` (tatum-js FlowTxType + TransferFlow) → our Cadence 1.0 transfer: the
// amounts Tatum's validator accepts are read exactly (never rounded as parseFloat().toFixed(8) would),
// everything else is refused with its field, and the built transaction is what the signer's decode
// recognises as a FLOW transfer. (The loop test sends such transactions to the Flow emulator.)
import { describe, expect, it } from 'vitest';

import { SigningRefusedError } from '../../../../src/signer/index.js';
import {
  flowTransferVoucher,
  parseTatumFlowPayload,
  TATUM_FLOW_COMPUTE_LIMIT,
} from '../../../../src/signer/flow/tatum-order.js';
import {
  ACCOUNT,
  MAINNET_CADENCE,
  prepareFlow,
  RECIPIENT,
  TATUM_ACCOUNT,
  WALLET_ACCOUNT,
} from './fixtures.js';

const payload = (body: Record<string, unknown>, type: unknown = 2, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    type,
    body: { account: WALLET_ACCOUNT, to: RECIPIENT, amount: '1', currency: 'FLOW', ...body },
    ...extra,
  });

function refusal(run: () => unknown): { code: string; field: string; message: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SigningRefusedError);
    const e = error as SigningRefusedError;
    return { code: e.code, field: e.field, message: e.message };
  }
  throw new Error('not refused');
}

describe("Tatum's FLOW payload", () => {
  it.each([
    ['12.5', 1_250_000_000n],
    ['+0.1', 10_000_000n],
    ['.5', 50_000_000n],
    ['7.', 700_000_000n],
    ['0.00000001', 1n],
    ['007.25000000', 725_000_000n],
    ['184467440737.09551615', 18_446_744_073_709_551_615n],
  ])('reads the amount %s exactly', (amount, units) => {
    const order = parseTatumFlowPayload(payload({ amount }));
    expect(order).toEqual({ account: WALLET_ACCOUNT, to: RECIPIENT, amount: units });
  });

  it('accepts Tatum addresses with or without 0x, any case, and the optional fields', () => {
    const order = parseTatumFlowPayload(
      payload({ to: RECIPIENT.slice(2).toUpperCase(), signatureId: 'x', index: 3 }, 2, {
        apiManagedProposal: true,
      }),
    );
    expect(order.to).toBe(RECIPIENT);
  });

  it.each<[string, string, string, RegExp]>([
    [payload({}, 8), 'type', 'UNSUPPORTED_TRANSACTION', /custom Cadence/],
    [payload({}, 0), 'type', 'UNSUPPORTED_TRANSACTION', /account creation/],
    [payload({}, 1), 'type', 'UNSUPPORTED_TRANSACTION', /adding a key/],
    [payload({}, 7), 'type', 'UNSUPPORTED_TRANSACTION', /NFT/],
    [payload({}, 9), 'type', 'MALFORMED_TRANSACTION', /FlowTxType/],
    [payload({}, '2'), 'type', 'MALFORMED_TRANSACTION', /FlowTxType/],
    [payload({ currency: 'FUSD' }), 'body.currency', 'UNSUPPORTED_TRANSACTION', /FUSD/],
    [payload({ currency: 'USDC' }), 'body.currency', 'UNSUPPORTED_TRANSACTION', /must be FLOW/],
    [payload({ amount: '1.000000001' }), 'body.amount', 'MALFORMED_TRANSACTION', /8 decimals/],
    [payload({ amount: 1 }), 'body.amount', 'MALFORMED_TRANSACTION', /string/],
    [payload({ amount: '1e3' }), 'body.amount', 'MALFORMED_TRANSACTION', /decimal/],
    [payload({ amount: '-1' }), 'body.amount', 'MALFORMED_TRANSACTION', /decimal/],
    [payload({ amount: '0.0' }), 'body.amount', 'MALFORMED_TRANSACTION', /above 0/],
    [payload({ amount: '184467440737.09551616' }), 'body.amount', 'MALFORMED_TRANSACTION', /UFix64/],
    [payload({ to: '0x1234' }), 'body.to', 'MALFORMED_TRANSACTION', /Flow address/],
    [payload({ to: '0x0000000000000000' }), 'body.to', 'MALFORMED_TRANSACTION', /zero/],
    [payload({ to: WALLET_ACCOUNT }), 'body.to', 'MALFORMED_TRANSACTION', /itself/],
    [payload({ account: 'me' }), 'body.account', 'MALFORMED_TRANSACTION', /Flow address/],
    [payload({ privateKey: 'ab' }), 'body.privateKey', 'MALFORMED_TRANSACTION', /key material/],
    [payload({ mnemonic: 'a b c' }), 'body.mnemonic', 'MALFORMED_TRANSACTION', /key material/],
    [payload({ fee: '1' }), 'body', 'MALFORMED_TRANSACTION', /unknown field\(s\) fee/],
    [payload({}, 2, { cadence: 'x' }), 'unsigned', 'MALFORMED_TRANSACTION', /unknown field\(s\) cadence/],
    [JSON.stringify({ type: 2, body: [] }), 'body', 'MALFORMED_TRANSACTION', /object/],
    ['{"type": 2', 'unsigned', 'MALFORMED_TRANSACTION', /JSON/],
  ])('refuses %s at %s', (unsigned, field, code, reason) => {
    const refused = refusal(() => parseTatumFlowPayload(unsigned));
    expect(refused).toMatchObject({ field, code });
    expect(refused.message).toMatch(reason);
  });

  it('builds our Cadence 1.0 transfer, which the signer decodes as that FLOW transfer', async () => {
    const order = parseTatumFlowPayload(payload({ amount: '12.5' }));
    const voucher = flowTransferVoucher(
      order,
      {
        refBlock: 'ab'.repeat(32),
        proposalKey: { address: TATUM_ACCOUNT, keyId: 5, sequenceNum: 41 },
        payer: TATUM_ACCOUNT,
      },
      { fungibleToken: '0xf233dcee88fe0abe', flowToken: '0x1654653399040a61' },
    );
    expect(voucher).toMatchObject({
      cadence: MAINNET_CADENCE,
      arguments: [
        { type: 'UFix64', value: '12.50000000' },
        { type: 'Address', value: RECIPIENT },
      ],
      computeLimit: TATUM_FLOW_COMPUTE_LIMIT,
      authorizers: [WALLET_ACCOUNT],
      payloadSigs: [],
      envelopeSigs: [],
    });
    expect(voucher.cadence).not.toMatch(/AuthAccount/);
    const prepared = await prepareFlow(voucher, ACCOUNT);
    expect(prepared.unrecognized).toBeNull();
    expect(prepared.transfers).toEqual([{ asset: 'native', to: RECIPIENT, amount: 1_250_000_000n }]);
  });
});
