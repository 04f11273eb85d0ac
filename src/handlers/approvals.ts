// AWS Lambda entry point of the approvals service (the four-eyes endpoint and the operators' console)
// behind its own API Gateway HTTP API (infra/approvals.ts). MONGODB_URI_SECRET_ARN and
// FOUR_EYE_SECRET_ARN are read from Secrets Manager on the first invocation; the function's role may read
// those two secrets and nothing in KMS: the console only decodes (wallet documents in MongoDB), it never signs.
import { Logger } from '@aws-lambda-powertools/logger';
import { createAppContext } from '../app-context.js';
import { ApprovalsService, loadApprovalsConfig } from '../approvals/index.js';
import { createApprovalsLambdaHandler } from '../approvals/lambda.js';
import { loadConfig } from '../config/index.js';
import { withSecretFromArn } from '../config/secret-env.js';
import { parseSigningPolicy } from '../tatum/config.js';

const logger = new Logger({ serviceName: 'kms-signer-approvals' });

/** The handler for an environment (the deployed one reads process.env; tests pass their own). */
export function approvalsHandlerFor(env: Readonly<Record<string, string | undefined>>) {
  return createApprovalsLambdaHandler(
    async () => {
      const config = loadConfig(env);
      const withSecret = await withSecretFromArn(env, 'FOUR_EYE_SECRET', 'FOUR_EYE_SECRET_ARN', config.aws);
      const approvalsConfig = loadApprovalsConfig(withSecret);
      const context = await createAppContext(config);
      return new ApprovalsService({
        db: context.db,
        config: approvalsConfig,
        wallets: context.walletService,
        policy: parseSigningPolicy(env.SIGNING_POLICY),
      });
    },
    (entry) => {
      logger.error('approvals request failed', entry);
    },
  );
}

export const handler = approvalsHandlerFor(process.env);
