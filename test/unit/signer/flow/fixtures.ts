// Shared FLOW voucher fixtures: the wallet's account holds the test key at index 2; Tatum-style
// vouchers have another account (Tatum's) as proposer and payer.
import { testKey } from '../../../../scripts/fixtures/fake-digest-signer.js';
import { flowTransferCadence } from '../../../../src/signer/flow/index.js';
import type { NetworkName } from '../../../../src/chains/index.js';
import {
  prepareTransaction,
  type FlowAccountKey,
  type PreparedTransaction,
} from '../../../../src/signer/index.js';

export const KEY = testKey('flow-wallet');
export const OTHER = testKey('flow-other');
export const WALLET_ACCOUNT = '0x01cf0e2f2f715450';
export const TATUM_ACCOUNT = '0x179b6b1cb6755e31';
export const RECIPIENT = '0xf3fcd2c1a78f5eee';
export const ACCOUNT: FlowAccountKey = { address: WALLET_ACCOUNT, keyIndex: 2, hashAlgorithm: 'SHA3_256' };
export const MAINNET_CADENCE = flowTransferCadence({
  fungibleToken: '0xf233dcee88fe0abe',
  flowToken: '0x1654653399040a61',
});
const REF_BLOCK = '7bc42fe85d32ca513769a74f97f7e1a7bad6c9407f0d934c2aa645ef9cf613c7';

/** Tatum's shape: Tatum proposes (key 5) and pays; the wallet only authorizes. */
export function tatumVoucher(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cadence: MAINNET_CADENCE,
    arguments: [
      { type: 'UFix64', value: '12.50000000' },
      { type: 'Address', value: RECIPIENT },
    ],
    refBlock: REF_BLOCK,
    computeLimit: 999,
    proposalKey: { address: TATUM_ACCOUNT, keyId: 5, sequenceNum: 41 },
    payer: TATUM_ACCOUNT,
    authorizers: [WALLET_ACCOUNT],
    payloadSigs: [],
    envelopeSigs: [],
    ...extra,
  };
}

/** Self-funded: the wallet's account proposes with its key, pays and authorizes (one envelope signature). */
export function selfVoucher(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return tatumVoucher({
    proposalKey: { address: WALLET_ACCOUNT, keyId: 2, sequenceNum: 7 },
    payer: WALLET_ACCOUNT,
    ...extra,
  });
}

/** Prepares a FLOW voucher for the test wallet (mainnet and ACCOUNT unless told otherwise). */
export function prepareFlow(
  unsigned: object,
  flowAccount: FlowAccountKey = ACCOUNT,
  network: NetworkName = 'mainnet',
): Promise<PreparedTransaction> {
  return prepareTransaction({ chain: 'FLOW', network, wallets: [KEY.wallet], unsigned, flowAccount });
}
