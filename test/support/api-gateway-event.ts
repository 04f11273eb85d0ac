// Builds API Gateway HTTP API (payload format 2.0) events the way API Gateway delivers them to Lambda
// for a `$default` stage and route with AWS_IAM authorization, and reads the Lambda results back.
import { randomBytes } from 'node:crypto';
import type { ApiLambdaEvent } from '../../src/api/lambda.js';

export const GATEWAY_CALLER_ARN = 'arn:aws:sts::123456789012:assumed-role/tatum-bridge/session-1';

export interface GatewayRequest {
  method: string;
  /** Path plus optional query string, e.g. /v1/wallets?limit=2 */
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** false: the route had no IAM authorization (no requestContext.authorizer.iam). */
  iam?: boolean;
  base64?: boolean;
}

export function gatewayEvent(request: GatewayRequest): ApiLambdaEvent {
  const [rawPath = '/', rawQueryString = ''] = request.path.split('?', 2);
  const domainName = 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com';
  const body =
    request.body === undefined
      ? undefined
      : typeof request.body === 'string'
        ? request.body
        : JSON.stringify(request.body);
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-length': String(body === undefined ? 0 : Buffer.byteLength(body)),
    host: domainName,
    'user-agent': 'aws-sdk-js/3 tatum-bridge',
    'x-amz-date': '20260101T000000Z',
    'x-amz-security-token': 'IQoJb3JpZ2luX2VjEXAMPLE',
    authorization:
      'AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20260101/eu-west-1/execute-api/aws4_request, ' +
      'SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000',
    'x-amzn-trace-id': 'Root=1-5e1b4151-5ac6c58f5b9d1ce5b3b9b1a0',
    'x-forwarded-for': '203.0.113.10',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...request.headers,
  };
  const queryStringParameters = Object.fromEntries(new URLSearchParams(rawQueryString));
  const requestId = `${randomBytes(10).toString('base64').slice(0, 14)}=`;
  const now = Date.now();
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers,
    ...(rawQueryString === '' ? {} : { queryStringParameters }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'a1b2c3d4e5',
      authentication: null,
      authorizer:
        request.iam === false
          ? {}
          : {
              iam: {
                accessKey: 'ASIAEXAMPLE',
                accountId: '123456789012',
                callerId: 'AROAEXAMPLE:session-1',
                cognitoIdentity: null,
                principalOrgId: null,
                userArn: GATEWAY_CALLER_ARN,
                userId: 'AROAEXAMPLE:session-1',
              },
            },
      domainName,
      domainPrefix: 'a1b2c3d4e5',
      http: {
        method: request.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.10',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    isBase64Encoded: request.base64 === true,
    ...(body === undefined
      ? {}
      : { body: request.base64 === true ? Buffer.from(body).toString('base64') : body }),
  };
  return event as ApiLambdaEvent;
}

export interface LambdaReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Status, lower-cased headers and parsed JSON body of a Lambda proxy result. */
export function lambdaReply(result: {
  statusCode: number;
  headers?: Record<string, string | string[]>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
}): LambdaReply {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const text = result.isBase64Encoded ? Buffer.from(result.body, 'base64').toString('utf8') : result.body;
  return { status: result.statusCode, headers, body: text === '' ? undefined : JSON.parse(text) };
}
