// The sandbox's stand-ins for the submit endpoints of chains whose nodes do not install from our
// registries (Cardano, MultiversX, Stellar, Algorand): a broadcast is accepted only if the chain's own
// library accepts it.
// - ADA (/v3/ada/broadcast, txData = signed transaction CBOR hex): cardano-serialization-lib decodes it,
//   and every vkey witness must verify over the transaction id it computes (blake2b-256 of the body).
// - EGLD (/v3/egld/broadcast, txData = the gateway JSON): @multiversx/sdk-core decodes it, and its
//   UserVerifier for the sender must accept the signature over the SDK's serialisation for signing.
// XLM: stellar-base decodes the envelope for the network passphrase and the source account's key must
// verify one decorated signature over the transaction hash (stellar-core's tx_bad_auth otherwise); the id
// is that hash, as Horizon reports it. ALGO: algosdk decodes the signed msgpack, the signature (no
// rekeyed signer, multisig or logic sig) must verify over bytesToSign() with the sender's key (tweetnacl,
// algosdk's Ed25519); the id is algosdk's txID().
import { FixedTransaction } from '@emurgo/cardano-serialization-lib-nodejs';
import {
  Address,
  type IPlainTransactionObject,
  Transaction,
  TransactionComputer,
  UserVerifier,
} from '@multiversx/sdk-core';
import { FeeBumpTransaction, Keypair, TransactionBuilder } from '@stellar/stellar-base';
import { decodeSignedTransaction } from 'algosdk';
import nacl from 'tweetnacl';

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

/** The transaction hash (hex) of a signed base64 envelope for `networkPassphrase`; throws with the reason otherwise. */
export function acceptStellarEnvelope(txData: string, networkPassphrase: string): string {
  const tx = TransactionBuilder.fromXDR(txData, networkPassphrase);
  if (tx instanceof FeeBumpTransaction) throw new Error('fee-bump envelopes are not accepted by the sandbox');
  const source = Keypair.fromPublicKey(tx.source);
  const hash = tx.hash();
  const signedBySource = tx.signatures.some(
    (s) => s.hint().equals(source.signatureHint()) && source.verify(hash, s.signature()),
  );
  if (!signedBySource) throw new Error('tx_bad_auth: no signature of the source account verifies');
  return hash.toString('hex');
}

/** The transaction id of a signed hex msgpack transaction; throws with the reason otherwise. */
export function acceptAlgorandTransaction(txData: string, genesisId: string): string {
  if (!/^(?:[0-9a-f]{2})+$/.test(txData)) throw new Error('txData must be the hex of a signed transaction');
  const signed = decodeSignedTransaction(Buffer.from(txData, 'hex'));
  const { txn, sig } = signed;
  if (txn.genesisID !== genesisId)
    throw new Error(`transaction is for ${String(txn.genesisID)}, not ${genesisId}`);
  if (
    sig === undefined ||
    signed.sgnr !== undefined ||
    signed.msig !== undefined ||
    signed.lsig !== undefined
  ) {
    throw new Error('the transaction is not single-signed by its sender');
  }
  if (!nacl.sign.detached.verify(txn.bytesToSign(), sig, txn.sender.publicKey)) {
    throw new Error('invalid signature for the sender');
  }
  return txn.txID();
}
