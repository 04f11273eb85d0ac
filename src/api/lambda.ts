// The same app on AWS Lambda behind API Gateway (HTTP API, payload format 2.0, `$default` stage so
// rawPath is the app's path). The context (MongoDB client, KMS vault, wallet service) is built once per
// execution environment on the first invocation and reused; a failed build is retried on the next one.
//
// Auth defaults to `iam`: API Gateway must authorize every /v1 route with AWS_IAM. The app then trusts
// the gateway's verdict but still answers 401 to any event without `requestContext.authorizer.iam`.

// hono/aws-lambda is deprecated in favour of @hono/aws-lambda, which is not published yet.
import { handle } from 'hono/aws-lambda';
import { createApiApp } from './app.js';
import type { ApiAuth } from './auth.js';
import { type ApiContext, apiAuthFor } from './context.js';
import type { ApiLogger } from './types.js';
import { onceUnlessFailed } from '../util/memo-retry.js';

// eslint-disable-next-line @typescript-eslint/no-deprecated
type LambdaHandler = ReturnType<typeof handle>;
/** An API Gateway (v1/v2), ALB or Lambda function URL event, as the adapter accepts it. */
export type ApiLambdaEvent = Parameters<LambdaHandler>[0];
export type ApiLambdaContext = Parameters<LambdaHandler>[1];
/** The proxy result API Gateway turns into the HTTP response. */
export interface ApiLambdaResult {
  statusCode: number;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  cookies?: string[];
  body: string;
  isBase64Encoded: boolean;
}

export interface LambdaHandlerOptions {
  /** Default: API_AUTH (default `iam`) and context.config.apiKeyHashes. */
  auth?: ApiAuth;
  log?: ApiLogger;
  /** Where API_AUTH is read from (default process.env). */
  env?: Record<string, string | undefined>;
}

export function createLambdaHandler(
  getContext: () => Promise<ApiContext>,
  options: LambdaHandlerOptions = {},
): (event: ApiLambdaEvent, lambdaContext?: ApiLambdaContext) => Promise<ApiLambdaResult> {
  const ready = onceUnlessFailed(async (): Promise<LambdaHandler> => {
    const context = await getContext();
    const auth = options.auth ?? apiAuthFor(context, options.env ?? process.env, 'iam');
    const app = createApiApp({
      walletService: context.walletService,
      auth,
      ...(options.log ? { log: options.log } : {}),
    });
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    return handle(app);
  });
  return async (event, lambdaContext) => {
    const run = await ready();
    return (await run(event, lambdaContext)) as ApiLambdaResult;
  };
}
