// What a Bitcoin-family transaction moves: every output that does not pay back to one of the signing
// wallets (their P2PKH, P2WPKH and P2SH-P2WPKH scripts are change). Destinations are output scripts (hex).
import type { Transfer } from '../prepared.js';
import { bytesToHex, type ModelOutput } from './model.js';
import { p2pkhScript, p2shOf, p2wpkhScript } from './scripts.js';
import type { PreparedWallet } from './wallets.js';

export function bitcoinTransfers(
  outputs: readonly ModelOutput[],
  wallets: readonly PreparedWallet[],
): Transfer[] {
  const change = new Set(
    wallets
      .flatMap((w) => [
        p2pkhScript(w.pubkeyHash),
        p2wpkhScript(w.pubkeyHash),
        p2shOf(p2wpkhScript(w.pubkeyHash)),
      ])
      .map(bytesToHex),
  );
  return outputs
    .map((output) => ({ asset: 'native', to: bytesToHex(output.script), amount: output.amount }))
    .filter((transfer) => !change.has(transfer.to));
}
