// The chain view's endpoint: KMS_SIGNER_RPC_<CHAIN>[_<NETWORK>] when set, else Tatum's node gateway for
// the API key in use — the key in tatum-kms's path and in the x-api-key header, both listed as secrets.
import { describe, expect, it } from 'vitest';
import { resolveEndpoint } from '../../../src/chain-view/endpoint.js';

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
});
