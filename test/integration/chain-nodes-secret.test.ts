// A deployment's chain nodes (kms-signer:chainNodesSecretArn): the handlers read KMS_SIGNER_RPC_NODES from
// LocalStack Secrets Manager by its ARN once, and every chain view then finds its node in it.
import { randomBytes } from 'node:crypto';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { ChainViews } from '../../src/chain-view/index.js';
import { configuredUrl } from '../../src/chain-view/endpoint.js';
import { secretIntoProcessEnv } from '../../src/config/secret-env.js';
import { secretsManagerClientFor, stackEndpoints } from '../support/stack.js';

afterEach(() => {
  delete process.env.KMS_SIGNER_RPC_NODES;
  delete process.env.KMS_SIGNER_RPC_NODES_ARN;
});

describe('KMS_SIGNER_RPC_NODES from Secrets Manager', () => {
  it('is read by ARN into the environment, and the chain views use it', async () => {
    const endpoints = stackEndpoints();
    const secrets = secretsManagerClientFor(endpoints);
    const nodes = {
      SOL_TESTNET: 'http://127.0.0.1:8899/key-0123456789abcdef',
      FLOW: 'http://127.0.0.1:8888',
    };
    const { ARN } = await secrets.send(
      new CreateSecretCommand({
        Name: `chain-nodes-${randomBytes(4).toString('hex')}`,
        SecretString: JSON.stringify(nodes),
      }),
    );
    secrets.destroy();
    process.env.KMS_SIGNER_RPC_NODES_ARN = ARN!;
    await secretIntoProcessEnv('KMS_SIGNER_RPC_NODES', 'KMS_SIGNER_RPC_NODES_ARN', {
      region: 'us-east-1',
      endpoint: endpoints.awsEndpoint,
    });
    expect(JSON.parse(process.env.KMS_SIGNER_RPC_NODES ?? '{}')).toEqual(nodes);
    expect(configuredUrl('SOL', 'testnet', process.env)).toBe(nodes.SOL_TESTNET);
    expect(new ChainViews({ network: 'testnet', env: process.env }).solana()).toBeDefined();
    expect(new ChainViews({ network: 'mainnet', env: process.env }).solana()).toBeUndefined();
    expect(new ChainViews({ network: 'regtest', env: process.env }).flow()).toBeDefined();
  });
});
