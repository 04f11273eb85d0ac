// The chains' node URLs for a deployment (kms-signer:chainNodesSecretArn): an existing secret holding
// KMS_SIGNER_RPC_NODES (src/chain-view/endpoint.ts), because node URLs often carry API keys. The Lambda
// functions get only its ARN (src/handlers read it at start-up); ECS injects the value into the daemon.
import { Secret as EcsSecret } from 'aws-cdk-lib/aws-ecs';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { NODE_MAP_VARIABLE } from '../src/chain-view/endpoint.js';

export interface SecretWiring {
  /** Secrets the runtime's role must read. */
  secrets: ISecret[];
  lambdaEnvironment: Record<string, string>;
  containerSecrets: Record<string, EcsSecret>;
}

export const NO_SECRETS: SecretWiring = { secrets: [], lambdaEnvironment: {}, containerSecrets: {} };

export function chainNodesWiring(scope: Construct, secretArn: string | undefined): SecretWiring {
  if (secretArn === undefined) return NO_SECRETS;
  const secret = Secret.fromSecretCompleteArn(scope, 'ChainNodesSecret', secretArn);
  return {
    secrets: [secret],
    lambdaEnvironment: { [`${NODE_MAP_VARIABLE}_ARN`]: secret.secretArn },
    containerSecrets: { [NODE_MAP_VARIABLE]: EcsSecret.fromSecretsManager(secret) },
  };
}
