// The chain view's endpoint: KMS_SIGNER_RPC_<CHAIN>[_<NETWORK>] when set, else Tatum's node gateway for
// the API key in use — the key in tatum-kms's path and in the x-api-key header, both listed as secrets.
import { describe, expect, it } from 'vitest';
import { configuredUrl, parseNodeMap, resolveEndpoint } from '../../../src/chain-view/endpoint.js';

const tatum = { baseUrl: 'https://api.tatum.io/', apiKey: 'tatum-key-0123456789abcdef' };

describe('chain view endpoint', () => {
  it("defaults to Tatum's gateway: web3 path for ETH, the key in the path and in x-api-key", async () => {
    const endpoint = await resolveEndpoint('ETH', 'mainnet', { tatum });
    expect(endpoint?.url).toBe('https://api.tatum.io/v3/ethereum/web3/tatum-key-0123456789abcdef');
    expect(endpoint?.headers).toEqual({ 'x-api-key': tatum.apiKey });
    expect(endpoint?.secrets).toContain(tatum.apiKey);
  });

  it('uses the generic node path for the Bitcoin family and reads a key provider', async () => {
    const endpoint = await resolveEndpoint('LTC', 'testnet', {
      tatum: { baseUrl: 'http://127.0.0.1:1', apiKey: () => Promise.resolve('k/ey with space') },
    });
    expect(endpoint?.url).toBe('http://127.0.0.1:1/v3/blockchain/node/LTC/k%2Fey%20with%20space');
    expect(endpoint?.headers['x-api-key']).toBe('k/ey with space');
    expect(endpoint?.secrets).toEqual(['k/ey with space', 'k%2Fey%20with%20space']);
  });

  it('a configured node wins over the gateway; user-info becomes basic auth, never a URL', async () => {
    const env = { KMS_SIGNER_RPC_ETH: 'https://x-api-key:s3cret-key@ethereum-mainnet.gateway.tatum.io' };
    const endpoint = await resolveEndpoint('ETH', 'mainnet', { env, tatum });
    expect(endpoint?.url).toBe('https://ethereum-mainnet.gateway.tatum.io/');
    expect(endpoint?.headers.authorization).toBe(
      `Basic ${Buffer.from('x-api-key:s3cret-key').toString('base64')}`,
    );
    expect(endpoint?.secrets).toContain('s3cret-key');
  });

  it('neither configured nor a Tatum key: no endpoint', async () => {
    expect(await resolveEndpoint('BTC', 'mainnet', {})).toBeUndefined();
  });

  it('KMS_SIGNER_RPC_NODES (a deployment keeps it in a secret) maps chains and chain_networks to nodes', async () => {
    const nodes = JSON.stringify({
      SOL_TESTNET: 'https://sol-devnet.example/key-0123456789abcdef',
      SOL: 'https://sol.example/',
      VET: 'http://127.0.0.1:8669',
    });
    const env = { KMS_SIGNER_RPC_NODES: nodes, KMS_SIGNER_RPC_VET: 'http://127.0.0.1:1' };
    expect(configuredUrl('SOL', 'testnet', env)).toBe('https://sol-devnet.example/key-0123456789abcdef');
    expect(configuredUrl('SOL', 'mainnet', env)).toBe('https://sol.example/');
    // A variable of its own wins over the map; a chain in neither has none.
    expect(configuredUrl('VET', 'mainnet', env)).toBe('http://127.0.0.1:1');
    expect(configuredUrl('FLOW', 'mainnet', env)).toBeUndefined();
    const endpoint = await resolveEndpoint('SOL', 'testnet', { env, tatum });
    expect(endpoint?.url).toBe('https://sol-devnet.example/key-0123456789abcdef');
    expect(endpoint?.secrets).toContain('key-0123456789abcdef');
  });

  it('a malformed node map is refused by field and reason, without echoing a URL', () => {
    const secretUrl = 'ftp://user:pw-0123456789@node.example/';
    for (const [text, reason] of [
      ['{', 'is not JSON'],
      ['["https://a.example"]', 'must be a JSON object'],
      ['{"eth": "https://a.example"}', 'key "eth" must be <CHAIN> or <CHAIN>_<NETWORK>'],
      ['{"ETH_DEVNET": "https://a.example"}', 'must be <CHAIN> or <CHAIN>_<NETWORK>'],
      [JSON.stringify({ ETH: secretUrl }), 'ETH must be an http(s) URL'],
      ['{"ETH": 1}', 'ETH must be an http(s) URL'],
    ] as const) {
      const error = (() => {
        try {
          parseNodeMap(text);
        } catch (e) {
          return e as Error;
        }
        throw new Error(`accepted ${text}`);
      })();
      expect(error.message).toContain('KMS_SIGNER_RPC_NODES: ');
      expect(error.message).toContain(reason);
      expect(error.message).not.toContain('pw-0123456789');
    }
    expect(parseNodeMap(undefined)).toEqual({});
  });
});
