// What a TRON transaction moves: a TRX TransferContract, or a TRC-20 transfer(to, amount) through
// TriggerSmartContract (plus any TRX call_value sent to the contract). Addresses in the T… form.
import { canonicalTronAddress, tronAddressFromHex } from '../../chains/addresses/tron.js';
import type { Transfer } from '../prepared.js';
import { decodeTokenTransfer } from '../token-transfer.js';
import type { TronTransaction } from './parse.js';

export function tronTransfers(transaction: TronTransaction): {
  transfers: Transfer[];
  unrecognized: string | null;
} {
  const contract = transaction.raw_data.contract[0];
  const value = contract.parameter.value;
  const address = (field: string): string => canonicalTronAddress(String(value[field]));
  const sun = (field: string): bigint => BigInt(value[field] ?? 0);
  switch (contract.type) {
    case 'TransferContract':
      return {
        transfers: [{ asset: 'native', to: address('to_address'), amount: sun('amount') }],
        unrecognized: null,
      };
    case 'TriggerSmartContract': {
      const token = decodeTokenTransfer(String(value.data ?? ''));
      if (token === undefined) {
        return { transfers: [], unrecognized: 'smart contract call other than transfer(address,uint256)' };
      }
      const contractAddress = address('contract_address');
      const transfers: Transfer[] = [
        { asset: contractAddress, to: tronAddressFromHex(`41${token.to}`), amount: token.amount },
      ];
      if (sun('call_value') > 0n)
        transfers.push({ asset: 'native', to: contractAddress, amount: sun('call_value') });
      return { transfers, unrecognized: null };
    }
    default:
      return { transfers: [], unrecognized: `contract type ${contract.type} is not decoded into transfers` };
  }
}
