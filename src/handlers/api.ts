// AWS Lambda entry point of the HTTP API (API Gateway HTTP API, payload format 2.0). The app is the
// one the Node server runs (src/api); the context is built from the environment on the first
// invocation and kept for the life of the execution environment.
//
// API_AUTH defaults to `iam` here: every /v1 route must use AWS_IAM authorization in API Gateway, and
// this function must never be reachable any other way (no function URL, no unauthenticated route).
import { createLambdaHandler } from '../api/lambda.js';
import { createAppContext } from '../app-context.js';
import { loadConfig } from '../config/index.js';

export const handler = createLambdaHandler(() => createAppContext(loadConfig(process.env)));
