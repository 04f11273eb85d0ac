// Where each chain's trusted view comes from. Per chain (and optionally network) an RPC URL from the
// environment — KMS_SIGNER_RPC_<CHAIN>_<NETWORK> or KMS_SIGNER_RPC_<CHAIN>, e.g. KMS_SIGNER_RPC_ETH — and
// otherwise, as tatum-kms does, Tatum's node gateway for the API key in use (../shared/reference/
// tatum-protocol.md §2.8: `{base}/v3/ethereum/web3/{apiKey}`, `/v3/bsc/web3/…`, `/v3/polygon/web3/…`, and
// the generic `{base}/v3/blockchain/node/{CHAIN}/{apiKey}` for UTXO chains). The key also goes in the
// `x-api-key` header, the authentication Tatum documents as recommended for its RPC gateway
// (https://docs.tatum.io/docs/authentication: `curl https://ethereum-mainnet.gateway.tatum.io --header
// 'x-api-key: …'`; the same page accepts `https://x-api-key:<key>@<network>.gateway.tatum.io`, which works
// here as KMS_SIGNER_RPC_<CHAIN>: user-info becomes that basic-auth header). User-info in a URL becomes a
// basic-auth header (fetch refuses credentials in URLs); every secret is listed so it can be redacted.
import type { ChainId, NetworkName } from '../chains/index.js';
import { ConfigError } from '../config/config.js';

export interface RpcEndpoint {
  url: string;
  headers: Record<string, string>;
  /** Values that must never appear in an error or a log line. */
  secrets: string[];
}

export interface EndpointSource {
  env?: Readonly<Record<string, string | undefined>>;
  /** Tatum's API base URL and key (or key provider): the default gateway. */
  tatum?: { baseUrl: string; apiKey: string | (() => Promise<string>) };
}

const TATUM_WEB3_PATHS: Partial<Record<ChainId, string>> = {
  ETH: 'ethereum',
  BSC: 'bsc',
  MATIC: 'polygon',
};

/** The endpoint of (chain, network), or undefined when neither the environment nor Tatum provides one. */
export async function resolveEndpoint(
  chain: ChainId,
  network: NetworkName,
  source: EndpointSource,
): Promise<RpcEndpoint | undefined> {
  const configured = configuredUrl(chain, network, source.env);
  if (configured !== undefined) return fromUrl(configured);
  if (source.tatum === undefined) return undefined;
  const { baseUrl, apiKey } = source.tatum;
  const key = typeof apiKey === 'string' ? apiKey : await apiKey();
  const base = baseUrl.replace(/\/+$/, '');
  const web3 = TATUM_WEB3_PATHS[chain];
  const path = web3 !== undefined ? `/v3/${web3}/web3/` : `/v3/blockchain/node/${chain}/`;
  return {
    url: `${base}${path}${encodeURIComponent(key)}`,
    headers: { 'x-api-key': key },
    secrets: [key, encodeURIComponent(key)],
  };
}

/**
 * The URL the environment configures for (chain, network), if any: KMS_SIGNER_RPC_<CHAIN>_<NETWORK>,
 * KMS_SIGNER_RPC_<CHAIN>, then the same keys (`<CHAIN>_<NETWORK>`, `<CHAIN>`) in KMS_SIGNER_RPC_NODES — a
 * JSON object a deployment keeps in Secrets Manager, because node URLs often carry an API key.
 */
export function configuredUrl(
  chain: ChainId,
  network: NetworkName,
  env: Readonly<Record<string, string | undefined>> = {},
): string | undefined {
  const keys = [`${chain}_${network.toUpperCase()}`, chain];
  const nodes = parseNodeMap(env[NODE_MAP_VARIABLE]);
  for (const key of keys) {
    const url = env[`KMS_SIGNER_RPC_${key}`] ?? nodes[key];
    if (url !== undefined && url !== '') return url;
  }
  return undefined;
}

export const NODE_MAP_VARIABLE = 'KMS_SIGNER_RPC_NODES';
const NODE_MAP_KEY = /^[A-Z0-9]{2,10}(_(MAINNET|TESTNET|REGTEST))?$/;

// configuredUrl runs whenever a job asks for a chain view: the map is parsed once per distinct text.
let parsedNodeMap: { text: string; map: Readonly<Record<string, string>> } | undefined;

/** KMS_SIGNER_RPC_NODES → {"ETH": url, "SOL_TESTNET": url, …}; a malformed map is a configuration error. */
export function parseNodeMap(text: string | undefined): Readonly<Record<string, string>> {
  if (text === undefined || text.trim() === '') return {};
  if (parsedNodeMap?.text !== text) parsedNodeMap = { text, map: readNodeMap(text) };
  return parsedNodeMap.map;
}

function readNodeMap(text: string): Readonly<Record<string, string>> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(NODE_MAP_VARIABLE, 'is not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ConfigError(NODE_MAP_VARIABLE, 'must be a JSON object of "<CHAIN>[_<NETWORK>]": "<url>"');
  const map: Record<string, string> = {};
  for (const [key, value] of Object.entries(json)) {
    if (!NODE_MAP_KEY.test(key))
      throw new ConfigError(
        NODE_MAP_VARIABLE,
        `key ${JSON.stringify(key)} must be <CHAIN> or <CHAIN>_<NETWORK>`,
      );
    if (typeof value !== 'string' || !/^https?:\/\//.test(value) || !URL.canParse(value))
      throw new ConfigError(NODE_MAP_VARIABLE, `${key} must be an http(s) URL`); // never echo the value: it may hold a key
    map[key] = value;
  }
  return map;
}

export function fromUrl(text: string): RpcEndpoint {
  const url = new URL(text);
  const secrets: string[] = [];
  const headers: Record<string, string> = {};
  if (url.username !== '' || url.password !== '') {
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    secrets.push(pass, headers.authorization.slice('Basic '.length));
    url.username = '';
    url.password = '';
  }
  // A key in the path or query (…/web3/<key>, ?apikey=…) is as secret as a password.
  for (const segment of url.pathname.split('/')) if (segment.length >= 16) secrets.push(segment);
  for (const value of url.searchParams.values()) if (value.length >= 8) secrets.push(value);
  return { url: url.toString(), headers, secrets };
}
