// The sandbox's stand-ins for a Cardano and a MultiversX node's submit: no node of either chain installs
// from our registries, so a broadcast is accepted only if the chain's own library accepts it.
// - ADA (/v3/ada/broadcast, txData = signed transaction CBOR hex): cardano-serialization-lib decodes it,
//   and every vkey witness must verify over the transaction id it computes (blake2b-256 of the body).
// - EGLD (/v3/egld/broadcast, txData = the gateway JSON): @multiversx/sdk-core decodes it, and its
//   UserVerifier for the sender must accept the signature over the SDK's serialisation for signing.
import { FixedTransaction } from '@emurgo/cardano-serialization-lib-nodejs';
import {
  Address,
  type IPlainTransactionObject,
  Transaction,
  TransactionComputer,
  UserVerifier,
} from '@multiversx/sdk-core';

/** The transaction id of a validly witnessed ADA transaction; throws with the reason otherwise. */
export function acceptCardanoTransaction(txData: string): string {
  const tx = FixedTransaction.from_hex(txData);
  const id = tx.transaction_hash();
  const witnesses = tx.witness_set().vkeys();
  if (!witnesses || witnesses.len() === 0) throw new Error('the transaction has no vkey witness');
  for (let i = 0; i < witnesses.len(); i += 1) {
    const witness = witnesses.get(i);
    if (!witness.vkey().public_key().verify(id.to_bytes(), witness.signature())) {
      throw new Error(`vkey witness ${i} does not verify over the transaction id (InvalidWitnessesUTXOW)`);
    }
  }
  return id.to_hex();
}

/** The hash of a validly signed EGLD transaction; throws with the reason otherwise. */
export async function acceptMultiversXTransaction(txData: string): Promise<string> {
  const tx = Transaction.newFromPlainObject(JSON.parse(txData) as IPlainTransactionObject);
  const computer = new TransactionComputer();
  const verifier = UserVerifier.fromAddress(Address.newFromBech32(tx.sender.toBech32()));
  if (!(await verifier.verify(computer.computeBytesForVerifying(tx), tx.signature))) {
    throw new Error('the signature does not verify for the sender (invalid signature)');
  }
  return Buffer.from(computer.computeTransactionHash(tx)).toString('hex');
}
