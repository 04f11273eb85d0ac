// The sandbox's stand-in for rippled's submit: no rippled installs from our registries, so an XRP
// broadcast is accepted only if the XRP Ledger's own libraries accept it — ripple-binary-codec decodes the
// blob and ripple-keypairs verifies TxnSignature against SigningPubKey, whose address must be Account —
// and its id is the codec's SHA-512Half transaction hash, as rippled would report it.
import { decode, encodeForSigning } from 'ripple-binary-codec';
import { transactionID } from 'ripple-binary-codec/dist/hashes.js';
import * as keypairs from 'ripple-keypairs';

/** The transaction id of a valid signed blob; throws with the reason otherwise. */
export function acceptXrpBlob(blob: string): string {
  if (!/^[0-9A-F]+$/.test(blob)) throw new Error('tx_blob must be upper-case hex');
  const { TxnSignature, ...unsigned } = decode(blob);
  const signingPubKey = unsigned.SigningPubKey;
  if (typeof TxnSignature !== 'string' || typeof signingPubKey !== 'string') {
    throw new Error('the transaction is not single-signed (no TxnSignature / SigningPubKey)');
  }
  if (keypairs.deriveAddress(signingPubKey) !== unsigned.Account) {
    throw new Error('SigningPubKey is not the key of Account');
  }
  if (!keypairs.verify(encodeForSigning(unsigned), TxnSignature, signingPubKey)) {
    throw new Error('TxnSignature does not verify (tefBAD_SIGNATURE)');
  }
  return transactionID(Buffer.from(blob, 'hex')).toHex();
}
