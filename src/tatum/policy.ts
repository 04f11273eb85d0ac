// Signing policy: decode what the transaction actually moves (never what Tatum says it moves), then
// apply the chain's configured rules — destination allow-list, per-transaction and per-wallet daily
// amount limits. Deny wins; a transaction that cannot be decoded is denied whenever the chain has a
// policy. Every decision carries its reasons and the decoded transfers, for the job and the audit.
import { Psbt, Transaction as BtcTransaction } from 'bitcoinjs-lib';
import { Transaction as EvmTransaction } from 'ethers';
import {
  addressToOutputScript,
  getChain,
  tronAddressFromHex,
  type ChainId,
  type NetworkName,
} from '../chains/index.js';
import { readSolanaPayloadTransfers } from '../signer/solana/index.js';
import type { ChainPolicy } from './config.js';

/** One movement of value out of our wallets. `asset` is "native" or the token contract address. */
export interface Transfer {
  asset: string;
  to: string;
  amount: bigint;
}

export type Decoded = { ok: true; transfers: Transfer[] } | { ok: false; reason: string };

export interface PolicyDecision {
  allowed: boolean;
  /** Why it was denied (empty when allowed) or which rules were checked. */
  reasons: string[];
  transfers: { asset: string; to: string; amount: string }[];
  /** Whether a policy was configured for the chain at all. */
  policy: boolean;
}

export interface PolicyInput {
  chain: ChainId;
  network: NetworkName;
  serializedTransaction: string;
  /** Addresses of the signing wallets (every format): outputs paying back to them are change. */
  ownAddresses: readonly string[];
  policy: ChainPolicy | undefined;
  /** What the wallets already spent of `asset` in the last 24 h (signed or broadcast jobs). */
  spentToday: (asset: string) => Promise<bigint>;
}

const ERC20_TRANSFER = 'a9059cbb';

export async function evaluatePolicy(input: PolicyInput): Promise<PolicyDecision> {
  const decoded = decodeTransfers(
    input.chain,
    input.network,
    input.serializedTransaction,
    input.ownAddresses,
  );
  const transfers = decoded.ok
    ? decoded.transfers.map((t) => ({ asset: t.asset, to: t.to, amount: t.amount.toString() }))
    : [];
  const policy = input.policy;
  if (policy === undefined) {
    return {
      allowed: true,
      reasons: decoded.ok ? [] : [`not decoded: ${decoded.reason}`],
      transfers,
      policy: false,
    };
  }
  if (!decoded.ok) {
    return {
      allowed: false,
      reasons: [`cannot decode the transaction: ${decoded.reason}`],
      transfers,
      policy: true,
    };
  }
  const reasons: string[] = [];
  if (policy.allowedDestinations !== undefined) {
    const allowed = new Set(
      policy.allowedDestinations.map((a) => normalizeDestination(input.chain, input.network, a)),
    );
    for (const t of decoded.transfers) {
      if (!allowed.has(t.to)) reasons.push(`destination ${t.to} is not on the allow-list`);
    }
  }
  if (policy.limits !== undefined) {
    const limits = new Map(
      Object.entries(policy.limits).map(([asset, l]) => [normalizeAsset(input.chain, asset), l]),
    );
    const totals = new Map<string, bigint>();
    for (const t of decoded.transfers) totals.set(t.asset, (totals.get(t.asset) ?? 0n) + t.amount);
    for (const [asset, total] of totals) {
      const limit = limits.get(asset);
      if (limit === undefined) {
        reasons.push(`asset ${asset} has no limit configured`);
        continue;
      }
      if (limit.perTransaction !== undefined && total > limit.perTransaction) {
        reasons.push(`${asset} amount ${total} exceeds the per-transaction limit ${limit.perTransaction}`);
      }
      if (limit.daily !== undefined) {
        const spent = await input.spentToday(asset);
        if (spent + total > limit.daily) {
          reasons.push(`${asset} daily total ${spent + total} would exceed the daily limit ${limit.daily}`);
        }
      }
    }
  }
  return { allowed: reasons.length === 0, reasons, transfers, policy: true };
}

export function decodeTransfers(
  chain: ChainId,
  network: NetworkName,
  serialized: string,
  ownAddresses: readonly string[],
): Decoded {
  try {
    switch (getChain(chain).family) {
      case 'evm':
        return decodeEvm(serialized);
      case 'tron':
        return decodeTron(serialized);
      case 'bitcoin':
        return decodeBitcoin(chain, network, serialized, ownAddresses);
      case 'solana':
        return { ok: true, transfers: readSolanaPayloadTransfers(serialized, ownAddresses) };
    }
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

function normalizeDestination(chain: ChainId, network: NetworkName, address: string): string {
  const family = getChain(chain).family;
  if (family === 'bitcoin') return hex(addressToOutputScript(chain, network, address));
  if (family === 'evm') return address.toLowerCase();
  if (family === 'solana') return address; // base58 has one spelling per key
  return tronAddress(address);
}

function normalizeAsset(chain: ChainId, asset: string): string {
  if (asset === 'native') return asset;
  const family = getChain(chain).family;
  if (family === 'evm') return asset.toLowerCase();
  return family === 'tron' ? tronAddress(asset) : asset;
}

// ---- EVM: web3 JSON or a 0x unsigned raw transaction; native value and ERC-20 transfer(to, amount).

function decodeEvm(serialized: string): Decoded {
  let to: string | null;
  let value: bigint;
  let data: string;
  const text = serialized.trim();
  if (text.startsWith('{')) {
    const tx = JSON.parse(text) as Record<string, unknown>;
    to = typeof tx.to === 'string' && tx.to !== '' ? tx.to.toLowerCase() : null;
    value = quantity(tx.value ?? 0, 'value');
    data =
      typeof tx.data === 'string'
        ? tx.data.toLowerCase()
        : typeof tx.input === 'string'
          ? tx.input.toLowerCase()
          : '0x';
  } else if (/^0x[0-9a-f]+$/i.test(text)) {
    const tx = EvmTransaction.from(text);
    to = tx.to?.toLowerCase() ?? null;
    value = tx.value;
    data = tx.data.toLowerCase();
  } else {
    return { ok: false, reason: 'neither web3 JSON nor a 0x raw transaction' };
  }
  if (to === null || !/^0x[0-9a-f]{40}$/.test(to))
    return { ok: false, reason: 'no valid recipient (contract creation?)' };
  const transfers: Transfer[] = [];
  if (value > 0n) transfers.push({ asset: 'native', to, amount: value });
  const body = data.startsWith('0x') ? data.slice(2) : data;
  if (body.length > 0) {
    const token = decodeTokenTransfer(body);
    if (token === undefined)
      return { ok: false, reason: 'contract call other than transfer(address,uint256)' };
    transfers.push({ asset: to, to: `0x${token.to}`, amount: token.amount });
  }
  return { ok: true, transfers };
}

/** ERC-20 / TRC-20 transfer(address,uint256) call data (hex without 0x); the address as 20-byte hex. */
function decodeTokenTransfer(body: string): { to: string; amount: bigint } | undefined {
  if (body.length !== 8 + 128 || !body.startsWith(ERC20_TRANSFER) || !/^[0-9a-f]+$/i.test(body))
    return undefined;
  const addressWord = body.slice(8, 72).toLowerCase();
  if (!/^0{24}/.test(addressWord)) return undefined;
  return { to: addressWord.slice(24), amount: BigInt(`0x${body.slice(72)}`) };
}

function quantity(v: unknown, field: string): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(v)) return BigInt(v);
  throw new Error(`${field} is not a quantity`);
}

// ---- TRON: TransferContract (TRX) and TriggerSmartContract transfer (TRC-20).

function decodeTron(serialized: string): Decoded {
  const tx = JSON.parse(serialized) as {
    raw_data?: { contract?: { type?: unknown; parameter?: { value?: Record<string, unknown> } }[] };
  };
  const contracts = tx.raw_data?.contract;
  if (!Array.isArray(contracts) || contracts.length !== 1)
    return { ok: false, reason: 'expected exactly one contract' };
  const contract = contracts[0];
  const value = contract?.parameter?.value ?? {};
  if (contract?.type === 'TransferContract') {
    return {
      ok: true,
      transfers: [
        {
          asset: 'native',
          to: tronAddress(String(value.to_address)),
          amount: quantity(value.amount, 'amount'),
        },
      ],
    };
  }
  if (contract?.type === 'TriggerSmartContract') {
    const token = decodeTokenTransfer(
      (typeof value.data === 'string' ? value.data : '').replace(/^0x/, '').toLowerCase(),
    );
    if (token === undefined)
      return { ok: false, reason: 'smart contract call other than transfer(address,uint256)' };
    const transfers: Transfer[] = [
      {
        asset: tronAddress(String(value.contract_address)),
        to: tronAddressFromHex(`41${token.to}`),
        amount: token.amount,
      },
    ];
    const callValue = value.call_value === undefined ? 0n : quantity(value.call_value, 'call_value');
    if (callValue > 0n)
      transfers.push({ asset: 'native', to: tronAddress(String(value.contract_address)), amount: callValue });
    return { ok: true, transfers };
  }
  return { ok: false, reason: `contract type ${String(contract?.type)} is not decoded` };
}

function tronAddress(address: string): string {
  return /^41[0-9a-f]{40}$/i.test(address) ? tronAddressFromHex(address.toLowerCase()) : address;
}

// ---- Bitcoin family: every output that does not pay back to one of our signing wallets.

function decodeBitcoin(
  chain: ChainId,
  network: NetworkName,
  serialized: string,
  own: readonly string[],
): Decoded {
  const outputs = bitcoinOutputs(serialized.trim());
  const ownScripts = new Set<string>();
  for (const address of own) {
    try {
      ownScripts.add(hex(addressToOutputScript(chain, network, address)));
    } catch {
      // an address format without an output script on this chain
    }
  }
  const transfers = outputs
    .filter((o) => !ownScripts.has(o.script))
    .map((o) => ({ asset: 'native', to: o.script, amount: o.amount }));
  return { ok: true, transfers };
}

function bitcoinOutputs(text: string): { script: string; amount: bigint }[] {
  if (text.startsWith('{')) {
    const tx = JSON.parse(text) as { outputs?: { satoshis?: unknown; script?: unknown }[] };
    if (!Array.isArray(tx.outputs)) throw new Error('bitcore JSON without outputs');
    return tx.outputs.map((o, i) => {
      if (typeof o.script !== 'string' || !/^[0-9a-f]*$/i.test(o.script))
        throw new Error(`outputs[${i}].script`);
      return { script: o.script.toLowerCase(), amount: quantity(o.satoshis, `outputs[${i}].satoshis`) };
    });
  }
  const bch = /^([0-9a-f]+):\[/i.exec(text);
  if (bch?.[1] !== undefined) {
    return BtcTransaction.fromHex(bch[1]).outs.map((o) => ({
      script: hex(o.script),
      amount: o.value,
    }));
  }
  const psbt = /^70736274ff/i.test(text) ? Psbt.fromHex(text) : Psbt.fromBase64(text);
  return psbt.txOutputs.map((o) => ({ script: hex(o.script), amount: o.value }));
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
