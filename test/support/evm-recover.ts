// Recovers the sender of a signed EVM transaction without ethers' Transaction class or src/: RLP-decode
// the wire bytes, rebuild the signing payload by hand (EIP-155 tail for legacy, type ‖ rlp(fields) for
// typed), and recover the key with @noble/curves from (r, s, recovery id taken from v / yParity).
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { concat, decodeRlp, encodeRlp, getAddress, getBytes, keccak256, toBeArray } from 'ethers';

export interface RecoveredTransaction {
  type: number;
  chainId: bigint;
  /** Legacy only: the v on the wire. */
  v?: bigint;
  /** The recovery id the signature carries (0 or 1): yParity for typed txs, v − 35 − 2·chainId for legacy. */
  yParity: number;
  nonce: bigint;
  sender: string;
  fields: string[];
}

const quantity = (hex: string): bigint => (hex === '0x' ? 0n : BigInt(hex));

export function recoverIndependently(signedHex: string): RecoveredTransaction {
  const bytes = getBytes(signedHex);
  const first = bytes[0]!;
  if (first >= 0xc0) {
    const fields = decodeRlp(bytes) as string[];
    if (fields.length !== 9) throw new Error(`legacy transaction with ${fields.length} fields`);
    const v = quantity(fields[6]!);
    if (v < 37n) throw new Error(`pre-EIP-155 v ${v}`);
    const chainId = (v - 35n) / 2n;
    const yParity = Number(v - 35n - 2n * chainId);
    const preimage = encodeRlp([...fields.slice(0, 6), toBeArray(chainId), '0x', '0x']);
    return {
      type: 0,
      chainId,
      v,
      yParity,
      nonce: quantity(fields[0]!),
      sender: recoverSender(preimage, fields[7]!, fields[8]!, yParity),
      fields,
    };
  }
  const fields = decodeRlp(bytes.subarray(1)) as string[];
  const [parity, r, s] = fields.slice(-3) as [string, string, string];
  const yParity = Number(quantity(parity));
  if (yParity > 1) throw new Error(`typed transaction with yParity ${yParity}`);
  const preimage = concat([Uint8Array.of(first), encodeRlp(fields.slice(0, -3))]);
  return {
    type: first,
    chainId: quantity(fields[0]!),
    yParity,
    nonce: quantity(fields[1]!),
    sender: recoverSender(preimage, r, s, yParity),
    fields,
  };
}

function recoverSender(preimage: string, r: string, s: string, yParity: number): string {
  const digest = getBytes(keccak256(preimage));
  const point = new secp256k1.Signature(quantity(r), quantity(s))
    .addRecoveryBit(yParity)
    .recoverPublicKey(digest)
    .toBytes(false);
  return getAddress(`0x${keccak256(point.subarray(1)).slice(-40)}`);
}
