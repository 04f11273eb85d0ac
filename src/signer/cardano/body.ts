// What an ADA transaction body may do: spend inputs and pay outputs on the wallet's network, with an
// explicit fee. Everything else a body can carry — certificates, withdrawals, minting, governance votes
// and proposals, protocol updates, scripts (collateral, required signers, script data, datums, reference
// scripts), a metadata hash — is refused: none of it is vetted, and each can move or lock value.
// (CDDL of the Conway transaction_body: IntersectMBO/cardano-ledger eras/conway/impl/cddl-files/conway.cddl.)
import {
  type TransactionBody,
  type TransactionOutput,
  NetworkIdKind,
} from '@emurgo/cardano-serialization-lib-nodejs';
import { validateAddress, type CardanoNetworkParams, type NetworkName } from '../../chains/index.js';
import type { Transfer } from '../prepared.js';
import { refuse } from '../types.js';

type BodyField = [name: string, present: (body: TransactionBody) => boolean];

/** Body fields (CDDL keys 4–22) that are refused whenever present. */
const REFUSED_FIELDS: readonly BodyField[] = [
  ['certs', (b) => b.certs() !== undefined],
  ['withdrawals', (b) => b.withdrawals() !== undefined],
  ['update', (b) => b.update() !== undefined],
  ['auxiliaryDataHash', (b) => b.auxiliary_data_hash() !== undefined],
  ['mint', (b) => b.mint() !== undefined],
  ['scriptDataHash', (b) => b.script_data_hash() !== undefined],
  ['collateral', (b) => b.collateral() !== undefined],
  ['requiredSigners', (b) => b.required_signers() !== undefined],
  ['collateralReturn', (b) => b.collateral_return() !== undefined],
  ['totalCollateral', (b) => b.total_collateral() !== undefined],
  ['referenceInputs', (b) => b.reference_inputs() !== undefined],
  ['votingProcedures', (b) => b.voting_procedures() !== undefined],
  ['proposalProcedures', (b) => b.voting_proposals() !== undefined],
  ['currentTreasuryValue', (b) => b.current_treasury_value() !== undefined],
  ['donation', (b) => b.donation() !== undefined],
];

export interface CardanoBodySummary {
  /** Outputs not paid back to the wallet: lovelace as "native", tokens as "<policy id>.<asset name hex>". */
  transfers: Transfer[];
  fee: bigint;
  inputCount: number;
}

export function checkCardanoBody(
  body: TransactionBody,
  network: NetworkName,
  params: CardanoNetworkParams,
  walletAddress: string,
): CardanoBodySummary {
  for (const [name, present] of REFUSED_FIELDS) {
    if (present(body)) {
      refuse('UNSUPPORTED_TRANSACTION', `body.${name}`, 'is not signed: only plain payments are');
    }
  }
  const networkId = body.network_id();
  if (networkId !== undefined) {
    const id = networkId.kind() === NetworkIdKind.Mainnet ? 1 : 0;
    if (id !== params.networkId)
      refuse('CHAIN_MISMATCH', 'body.networkId', `is ${id}, not ${params.networkId} (${params.label})`);
  }
  const inputCount = body.inputs().len();
  if (inputCount === 0) refuse('MALFORMED_TRANSACTION', 'body.inputs', 'is empty');
  const outputs = body.outputs();
  if (outputs.len() === 0) refuse('MALFORMED_TRANSACTION', 'body.outputs', 'is empty');
  const transfers: Transfer[] = [];
  for (let i = 0; i < outputs.len(); i += 1) {
    transfers.push(...outputTransfers(outputs.get(i), `body.outputs[${i}]`, network, params, walletAddress));
  }
  return { transfers, fee: BigInt(body.fee().to_str()), inputCount };
}

function outputTransfers(
  output: TransactionOutput,
  field: string,
  network: NetworkName,
  params: CardanoNetworkParams,
  walletAddress: string,
): Transfer[] {
  if (output.has_data_hash() || output.has_plutus_data() || output.has_script_ref()) {
    refuse('UNSUPPORTED_TRANSACTION', field, 'carries a datum or a reference script');
  }
  let bech32: string;
  try {
    bech32 = output.address().to_bech32(params.addressHrp);
  } catch {
    refuse(
      'MALFORMED_TRANSACTION',
      `${field}.address`,
      'is not a Shelley address (Byron outputs are refused)',
    );
  }
  const validation = validateAddress('ADA', network, bech32);
  if (!validation.valid) refuse('MALFORMED_TRANSACTION', `${field}.address`, validation.reason);
  const to = validation.normalized;
  if (to === walletAddress) return []; // change back to the wallet
  const amount = output.amount();
  const transfers: Transfer[] = [{ asset: 'native', to, amount: BigInt(amount.coin().to_str()) }];
  const multiasset = amount.multiasset();
  const policies = multiasset?.keys();
  for (let p = 0; multiasset && policies && p < policies.len(); p += 1) {
    const policy = policies.get(p);
    const assets = multiasset.get(policy);
    const names = assets?.keys();
    for (let a = 0; assets && names && a < names.len(); a += 1) {
      const name = names.get(a);
      const quantity = BigInt(assets.get(name)?.to_str() ?? '0');
      const asset = `${policy.to_hex()}.${Buffer.from(name.name()).toString('hex')}`;
      if (quantity > 0n) transfers.push({ asset, to, amount: quantity });
    }
  }
  return transfers;
}
