// AWS Lambda entry point of the HTTP API (API Gateway HTTP API, payload format 2.0). The app is the
// one the Node server runs (src/api); the context is built from the environment on the first
// invocation and kept for the life of the execution environment.
//
// API_AUTH defaults to `iam` here: every /v1 route must use AWS_IAM authorization in API Gateway, and
// this function must never be reachable any other way (no function URL, no unauthenticated route).
//
// The same function is also invoked by an EventBridge schedule (infra: WalletMaintenance): such an
// invocation is no HTTP request but resumes the wallet operations and key batches left unfinished
// (src/api/maintenance.ts).
import { createLambdaHandler, type ApiLambdaContext, type ApiLambdaEvent } from '../api/lambda.js';
import { isScheduledEvent, runMaintenance, type MaintenanceResult } from '../api/maintenance.js';
import { createAppContext, type AppContext } from '../app-context.js';
import { NODE_MAP_VARIABLE, parseNodeMap } from '../chain-view/endpoint.js';
import { loadConfig } from '../config/index.js';
import { secretIntoProcessEnv } from '../config/secret-env.js';
import { COLLECTIONS } from '../db/documents.js';

let contextPromise: Promise<AppContext> | undefined;

async function createContext(): Promise<AppContext> {
  const config = loadConfig(process.env);
  // The chains' node URLs (FLOW account registration asks the node), kept in a secret: they may hold keys.
  await secretIntoProcessEnv(NODE_MAP_VARIABLE, `${NODE_MAP_VARIABLE}_ARN`, config.aws);
  parseNodeMap(process.env[NODE_MAP_VARIABLE]);
  return createAppContext(config);
}
function appContext(): Promise<AppContext> {
  contextPromise ??= createContext().catch((error: unknown) => {
    contextPromise = undefined;
    throw error;
  });
  return contextPromise;
}

const api = createLambdaHandler(appContext);

const UNFINISHED = { status: { $in: ['RUNNING', 'PAUSED'] } };

async function maintenance(lambdaContext: ApiLambdaContext | undefined): Promise<MaintenanceResult> {
  const context = await appContext();
  const result = await runMaintenance(
    {
      resumeUnfinished: () => context.walletService.resumeUnfinished(),
      countUnfinished: async () =>
        (await context.db.collection(COLLECTIONS.batches).countDocuments(UNFINISHED)) +
        (await context.db.collection(COLLECTIONS.walletOperations).countDocuments(UNFINISHED)),
    },
    { remainingMs: () => lambdaContext?.getRemainingTimeInMillis() ?? 0 },
  );
  // One JSON line (CloudWatch Logs), like the API's request logs.
  console.log(JSON.stringify({ level: 'INFO', event: 'maintenance-done', ...result }));
  return result;
}

export async function handler(event: ApiLambdaEvent, lambdaContext?: ApiLambdaContext) {
  if (isScheduledEvent(event)) return maintenance(lambdaContext);
  return api(event, lambdaContext);
}
