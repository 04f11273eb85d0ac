// The sandbox's stand-ins for Stellar's and Algorand's transaction submission: no stellar-core or algod
// installs from our registries, so a broadcast is accepted only if the chain's own SDK accepts it.
// XLM: stellar-base decodes the envelope for the network passphrase and the source account's key must
// verify one decorated signature over the transaction hash (stellar-core's tx_bad_auth otherwise); the id
// is that hash, as Horizon reports it. ALGO: algosdk decodes the signed msgpack, the signature (no
// rekeyed signer, multisig or logic sig) must verify over bytesToSign() with the sender's key (tweetnacl,
// algosdk's Ed25519); the id is algosdk's txID().
import { FeeBumpTransaction, Keypair, TransactionBuilder } from '@stellar/stellar-base';
import { decodeSignedTransaction } from 'algosdk';
import nacl from 'tweetnacl';

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
