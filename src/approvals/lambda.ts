// The approvals app on AWS Lambda behind its own API Gateway HTTP API (payload format 2.0, `$default`
// stage, so rawPath is the app's path and the loop's HMAC covers the same path it signed). The service
// (MongoDB client, stores) is built once per execution environment on the first invocation and reused; a
// failed build is retried on the next one. The gateway authorises nothing here: the loop's route checks
// the HMAC over method, path and body (which a gateway authoriser never sees), and the console checks its
// session cookie and CSRF token, exactly as under `kms-signer approvals serve`.

// hono/aws-lambda is deprecated in favour of @hono/aws-lambda, which is not published yet (as src/api/lambda.ts).
import { handle } from 'hono/aws-lambda';
import type { ApiLambdaEvent, ApiLambdaContext, ApiLambdaResult } from '../api/lambda.js';
import { createApprovalsApp } from './app.js';
import type { ApprovalsService } from './service.js';
import { onceUnlessFailed } from '../util/memo-retry.js';

// eslint-disable-next-line @typescript-eslint/no-deprecated
type LambdaHandler = ReturnType<typeof handle>;

export function createApprovalsLambdaHandler(
  getService: () => Promise<ApprovalsService>,
  log: (entry: Record<string, unknown>) => void,
): (event: ApiLambdaEvent, lambdaContext?: ApiLambdaContext) => Promise<ApiLambdaResult> {
  const ready = onceUnlessFailed(async (): Promise<LambdaHandler> =>
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    handle(createApprovalsApp(await getService(), log)),
  );
  return async (event, lambdaContext) => {
    const run = await ready();
    return (await run(event, lambdaContext)) as ApiLambdaResult;
  };
}
