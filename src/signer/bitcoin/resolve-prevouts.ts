// The BCH "hex:[amounts]" payload has no prevout scripts, so which key signs which input must come
// from the caller. Two ways, in this order:
//
// 1. options.prevoutScripts: one scriptPubKey (hex) per input. Inputs are then matched to wallets by
//    script, exactly like PSBT and bitcore inputs (any wallet order, one wallet may sign many inputs).
// 2. Otherwise positional mapping, as Tatum's reference signer does: wallets[i] signs inputs[i], and the
//    script of input i is taken to be P2PKH(hash160(wallets[i].publicKey)). It must be explicit, so the
//    request needs exactly one wallet entry per input; a wallet that owns several inputs is listed once
//    per input (keys are never de-duplicated — that is the reference daemon's BCH bug).
//
// Either way a wrong script or amount cannot move funds: the FORKID digest commits to both, so the
// network would reject the signature.
import { hexToBytes, type UnsignedModel } from './model.js';
import { refuse } from '../types.js';
import { p2pkhScript } from './scripts.js';
import type { PreparedWallet } from './wallets.js';

export function resolvePrevoutScripts(
  model: UnsignedModel,
  wallets: readonly PreparedWallet[],
  prevoutScripts: unknown,
): void {
  if (model.format !== 'bch') {
    if (prevoutScripts !== undefined) {
      refuse(
        'INVALID_REQUEST',
        'options.prevoutScripts',
        'only the bch format takes prevout scripts separately',
      );
    }
    return;
  }
  if (prevoutScripts !== undefined) {
    applyGivenScripts(model, prevoutScripts);
    return;
  }
  if (wallets.length !== model.inputs.length) {
    refuse(
      'INVALID_REQUEST',
      'wallets',
      `a BCH payload maps wallets[i] to inputs[i], so it needs one wallet per input: ${model.inputs.length} ` +
        `inputs, ${wallets.length} wallets (or pass options.prevoutScripts to match inputs by script)`,
    );
  }
  model.inputs.forEach((input, i) => {
    const wallet = wallets[i];
    if (wallet === undefined) return;
    input.script = p2pkhScript(wallet.pubkeyHash);
    input.walletIndex = i;
  });
}

function applyGivenScripts(model: UnsignedModel, prevoutScripts: unknown): void {
  const field = 'options.prevoutScripts';
  if (!Array.isArray(prevoutScripts) || prevoutScripts.length !== model.inputs.length) {
    refuse(
      'INVALID_REQUEST',
      field,
      `must be an array with one hex script per input (${model.inputs.length})`,
    );
  }
  model.inputs.forEach((input, i) => {
    const given: unknown = prevoutScripts[i];
    const script = typeof given === 'string' ? hexToBytes(given) : undefined;
    if (script === undefined || script.length === 0) {
      refuse('INVALID_REQUEST', `${field}[${i}]`, 'must be the hex scriptPubKey of the spent output');
    }
    input.script = script;
  });
}
